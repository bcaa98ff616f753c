package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.anthropic.AnthropicErrorEncoder;
import io.bricksllm.dialect.bedrock.ClaudeInvokeStreamDecoder;
import io.bricksllm.dialect.bedrock.ClaudeInvokeStreamDecoder.Piece;
import io.bricksllm.metering.AnthropicStreamObserver;
import io.bricksllm.metering.Usage;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.bricksllm.store.Json;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A Claude stream from InvokeModelWithResponseStream, written as Anthropic's server-sent events chunk by chunk: each
 * event leaves as soon as its frame is whole (only an unfinished frame waits), an exception frame becomes Anthropic's
 * {@code event: error}. Metered as Anthropic's stream is (input from {@code message_start}, output from the last
 * {@code message_delta}), else from Bedrock's {@code amazon-bedrock-invocationMetrics} (the Complete stream's only
 * count), else counted by the gateway.
 */
final class ClaudeStreamAnswer implements ResponseMeter {
    private final Exchange x;
    private final ClaudeInvokeStreamDecoder decoder;
    private final AnthropicErrorEncoder errors;
    private final AnswerMetering metering;
    private final AnthropicStreamObserver observer = new AnthropicStreamObserver();
    private MeterReading reading = MeterReading.NOTHING;
    private boolean ended;

    ClaudeStreamAnswer(Exchange x, ClaudeInvokeStreamDecoder decoder, AnthropicErrorEncoder errors, AnswerMetering metering) {
        this.x = x;
        this.decoder = decoder;
        this.errors = errors;
        this.metering = metering;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        return written(decoder.feed(bytes, 0, bytes.length));
    }

    @Override
    public Buffer onEnd() {
        if (ended) return Buffer.buffer();
        ended = true;
        // a stream cut by the connection gets the relay's error event; one that ended cleanly but early, the decoder's
        Buffer out = x.upstreamCompleted ? written(decoder.end()) : Buffer.buffer();
        Optional<io.bricksllm.metering.Usage> usage = observer.usage().or(() -> decoder.metrics()
                .map(m -> Usage.of(m.inputTokens(), m.outputTokens())));
        reading = metering.reading(x, x.info.model(), usage, observer::text);
        return out;
    }

    private Buffer written(List<Piece> pieces) {
        Buffer out = Buffer.buffer();
        for (Piece p : pieces) {
            switch (p) {
                case Piece.Event e -> {
                    observer.onEvent(e.type(), e.json());
                    out.appendString("event: ").appendString(e.type()).appendString("\ndata: ")
                            .appendString(oneLine(e.json()), StandardCharsets.UTF_8.name()).appendString("\n\n");
                }
                case Piece.Failure f -> out.appendBytes(errors.event(f.error()));
            }
        }
        return out;
    }

    /** SSE data is one line here: an event Bedrock sent pretty-printed is written compactly. */
    private static String oneLine(String json) {
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) return json;
        try {
            return Json.MAPPER.readTree(json).toString();
        } catch (java.io.IOException e) {
            return json.replace('\r', ' ').replace('\n', ' ');
        }
    }

    @Override
    public MeterReading reading() {
        return reading;
    }

    @Override
    public String contentType() {
        return "text/event-stream";
    }
}
