package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * An InvokeModelWithResponseStream body of a Claude model ({@code application/vnd.amazon.eventstream}) in, Anthropic
 * stream events out, chunk by chunk: the AWS SDK's {@link MessageDecoder} does the framing and checksums; each
 * {@code chunk} event's payload is {@code {"bytes":"<base64>"}} holding one Anthropic stream event's JSON, handed on
 * as it came (a legacy Complete chunk, which names no type, gets {@code type}, {@code id} and {@code model} so that it
 * reads as Anthropic's {@code completion} event). The last chunk carries Bedrock's token counts in
 * {@code amazon-bedrock-invocationMetrics}. One instance per stream; not thread-safe.
 */
public final class ClaudeInvokeStreamDecoder {

    /** What the stream yields: an Anthropic event (its type and JSON), or the error that ended it. */
    public sealed interface Piece {
        record Event(String type, String json) implements Piece {}

        record Failure(ChatError error) implements Piece {}
    }

    /** Bedrock's own count of a whole invocation, from the last chunk. */
    public record InvocationMetrics(long inputTokens, long outputTokens) {}

    private static final String METRICS = "amazon-bedrock-invocationMetrics";

    private final ObjectMapper json;
    private final BedrockErrorDecoder errors;
    private final String id;
    private final String modelId;
    private final MessageDecoder framing;
    private final List<Piece> pending = new ArrayList<>();
    private InvocationMetrics metrics;
    private boolean stopped;
    private boolean failed;

    /**
     * @param id      the answer's id for Complete chunks, which carry none (e.g. the {@code x-amzn-RequestId} header)
     * @param modelId the Bedrock model id the request was sent to
     */
    public ClaudeInvokeStreamDecoder(ObjectMapper json, String id, String modelId) {
        this.json = json;
        this.errors = new BedrockErrorDecoder(json);
        this.id = id;
        this.modelId = modelId;
        this.framing = new MessageDecoder(this::message);
    }

    /** The pieces completed by these bytes (possibly none); nothing more after a failure. */
    public List<Piece> feed(byte[] bytes, int offset, int length) {
        if (failed) return List.of();
        try {
            framing.feed(ByteBuffer.wrap(bytes, offset, length));
        } catch (RuntimeException e) {
            // a bad prelude or checksum: the framing is lost, nothing after it can be trusted
            fail(new ChatError(502, "api_error", "bedrock sent a stream that is not a valid event stream"));
        }
        return drain();
    }

    /** The upstream closed the stream: a failure if it ended before the answer did. */
    public List<Piece> end() {
        if (failed || stopped) return List.of();
        fail(new ChatError(502, "api_error", "bedrock ended the stream early"));
        return drain();
    }

    /** Bedrock's token counts, once the last chunk brought them. */
    public Optional<InvocationMetrics> metrics() {
        return Optional.ofNullable(metrics);
    }

    private List<Piece> drain() {
        if (pending.isEmpty()) return List.of();
        List<Piece> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    private void message(Message message) {
        if (failed) return;
        String messageType = header(message, ":message-type");
        switch (messageType == null ? "event" : messageType) {
            case "event" -> {
                if ("chunk".equals(header(message, ":event-type"))) chunk(message.getPayload());
            }
            case "exception" -> fail(errors.fromStreamException(header(message, ":exception-type"), message.getPayload()));
            default -> { // "error": the code and message travel in headers
                String code = header(message, ":error-code");
                String text = header(message, ":error-message");
                fail(new ChatError(BedrockErrorDecoder.statusOf(code == null ? "" : code), "api_error",
                        text == null ? "bedrock reported an error in the stream" : text));
            }
        }
    }

    private void chunk(byte[] payload) {
        JsonNode event;
        String text;
        try {
            byte[] bytes = Base64.getDecoder().decode(json.readTree(payload).path("bytes").asText(""));
            text = new String(bytes, StandardCharsets.UTF_8);
            event = json.readTree(bytes);
        } catch (IOException | IllegalArgumentException e) {
            fail(new ChatError(502, "api_error", "bedrock sent a stream chunk that is not an Anthropic event"));
            return;
        }
        if (event == null || !event.isObject()) {
            fail(new ChatError(502, "api_error", "bedrock sent a stream chunk that is not an Anthropic event"));
            return;
        }
        JsonNode m = event.get(METRICS);
        if (m != null) metrics = new InvocationMetrics(m.path("inputTokenCount").asLong(0), m.path("outputTokenCount").asLong(0));
        String type = event.path("type").asText("");
        if (type.isEmpty()) { // a Complete chunk: {"completion","stop_reason","stop"}
            type = "completion";
            text = completion((ObjectNode) event);
            if (!event.path("stop_reason").isNull() && !event.path("stop_reason").isMissingNode()) stopped = true;
        } else if (type.equals("message_stop")) {
            stopped = true;
        }
        pending.add(new Piece.Event(type, text));
    }

    private String completion(ObjectNode chunk) {
        ObjectNode out = json.createObjectNode();
        out.put("type", "completion");
        out.put("id", id);
        out.put("model", modelId);
        out.setAll(chunk);
        try {
            return json.writeValueAsString(out);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a tree just read always serialises
        }
    }

    private void fail(ChatError error) {
        failed = true;
        pending.add(new Piece.Failure(error));
    }

    private static String header(Message message, String name) {
        HeaderValue value = message.getHeaders().get(name);
        return value == null ? null : value.getString();
    }
}
