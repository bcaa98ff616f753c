package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.StreamEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * A ConverseStream body ({@code application/vnd.amazon.eventstream}) in, canonical stream events out,
 * chunk by chunk: the AWS SDK's {@link MessageDecoder} does the binary framing and checksums and holds
 * at most one incomplete message; each complete message is translated at once and dropped. One
 * instance per stream; not thread-safe.
 */
public final class BedrockStreamDecoder {

    private final BedrockStreamEvents events;
    private final BedrockErrorDecoder errors;
    private final MessageDecoder framing;
    private final List<StreamEvent> pending = new ArrayList<>();
    private boolean failed;

    /**
     * @param id the answer's id (a Converse stream names none: e.g. the {@code x-amzn-RequestId} header)
     * @param modelId the Bedrock model id the request was sent to
     * @param answerTool from {@link BedrockCall#answerTool()}: that tool's input streams as answer text
     */
    public BedrockStreamDecoder(ObjectMapper json, String id, String modelId, Optional<String> answerTool) {
        this.events = new BedrockStreamEvents(json, id, modelId, answerTool);
        this.errors = new BedrockErrorDecoder(json);
        this.framing = new MessageDecoder(this::message);
    }

    /** The events completed by these bytes (possibly none); nothing more after a failure. */
    public List<StreamEvent> feed(ByteBuffer bytes) {
        if (failed) {
            return List.of();
        }
        try {
            framing.feed(bytes);
        } catch (RuntimeException e) {
            // a bad prelude or checksum: the framing is lost, nothing after it can be trusted
            fail(new ChatError(502, "upstream_error", "bedrock sent a stream that is not a valid event stream"));
        }
        List<StreamEvent> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    public List<StreamEvent> feed(byte[] bytes, int offset, int length) {
        return feed(ByteBuffer.wrap(bytes, offset, length));
    }

    /** The upstream closed the stream: a failure if it ended before the message did. */
    public List<StreamEvent> end() {
        if (failed || events.stopped()) {
            return List.of();
        }
        failed = true;
        return List.of(new StreamEvent.Failure(new ChatError(502, "upstream_error", "bedrock ended the stream early")));
    }

    private void message(Message message) {
        if (failed) {
            return;
        }
        String messageType = header(message, ":message-type");
        switch (messageType == null ? "event" : messageType) {
            case "event" -> {
                List<StreamEvent> translated = events.translate(header(message, ":event-type"), message.getPayload());
                for (StreamEvent event : translated) {
                    pending.add(event);
                    if (event instanceof StreamEvent.Failure) {
                        failed = true;
                        return;
                    }
                }
            }
            case "exception" -> fail(errors.fromStreamException(header(message, ":exception-type"), message.getPayload()));
            default -> { // "error": the code and message travel in headers
                String code = header(message, ":error-code");
                String text = header(message, ":error-message");
                fail(new ChatError(BedrockErrorDecoder.statusOf(code == null ? "" : code), "upstream_error",
                        text == null ? "bedrock reported an error in the stream" : text));
            }
        }
    }

    private void fail(ChatError error) {
        failed = true;
        pending.add(new StreamEvent.Failure(error));
    }

    private static String header(Message message, String name) {
        HeaderValue value = message.getHeaders().get(name);
        return value == null ? null : value.getString();
    }
}
