package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.AnthropicUsage;
import io.bricksllm.metering.Usage;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.BodyChunks;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.bricksllm.store.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A Claude answer from InvokeModel, already in Anthropic's JSON: a Messages answer passes chunk by chunk as it came, a
 * Complete answer is rewritten once whole. Metered from the answer's {@code usage}, else from the token counts
 * Bedrock puts in the {@code X-Amzn-Bedrock-Input-Token-Count} / {@code -Output-Token-Count} headers (a Complete
 * answer has no {@code usage}), else counted by the gateway.
 */
final class ClaudeJsonAnswer extends WholeAnswer {
    private static final int MAX_BODY = 32 << 20;

    private final Exchange x;
    private final MultiMap headers;
    private final UnaryOperator<byte[]> rewrite;
    private final AnswerMetering metering;

    /** @param rewrite the whole answer's rewrite, or null to pass the bytes as they come */
    ClaudeJsonAnswer(Exchange x, MultiMap headers, UnaryOperator<byte[]> rewrite, AnswerMetering metering) {
        super(MAX_BODY);
        this.x = x;
        this.headers = headers;
        this.rewrite = rewrite;
        this.metering = metering;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        Buffer held = super.onChunk(chunk);
        return rewrite == null ? chunk : held;
    }

    @Override
    Buffer finish(BodyChunks body) {
        byte[] bytes = body.overflowed() ? new byte[0] : body.bytes();
        Optional<Usage> usage = AnthropicUsage.fromResponse(bytes).usage().or(this::headerUsage);
        meter(metering.reading(x, x.info.model(), usage, () -> text(bytes)));
        // a cut or oversized answer cannot be rewritten whole: the relay ends it
        if (rewrite == null || !x.upstreamCompleted || body.overflowed()) return Buffer.buffer();
        return Buffer.buffer(rewrite.apply(bytes));
    }

    private Optional<Usage> headerUsage() {
        long input = count(headers.get("X-Amzn-Bedrock-Input-Token-Count"));
        long output = count(headers.get("X-Amzn-Bedrock-Output-Token-Count"));
        return input < 0 || output < 0 ? Optional.empty() : Optional.of(Usage.of(input, output));
    }

    private static long count(String header) {
        if (header == null) return -1;
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The answer's text, for counting when no usage came. */
    private static String text(byte[] bytes) {
        try {
            JsonNode answer = Json.MAPPER.readTree(bytes);
            return answer == null ? "" : UsageDialect.ANTHROPIC.answerText(answer);
        } catch (java.io.IOException e) {
            return ""; // not JSON: nothing to count
        }
    }

    @Override
    public String contentType() {
        return rewrite == null ? null : "application/json";
    }
}
