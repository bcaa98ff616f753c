package io.bricksllm.proxy.meter;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.store.Json;
import io.bricksllm.metering.ResponseMeta;
import io.bricksllm.metering.Usage;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.BodyChunks;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.buffer.Buffer;

/**
 * Meters a JSON response from the usage the upstream reported, as the provider's dialect reads it. The body is
 * forwarded as it arrives; a copy (bounded) is kept to read usage once it is complete.
 */
final class JsonUsageMeter implements ResponseMeter {
    private static final int MAX_BODY = 32 << 20;

    private final Exchange x;
    private final Pricing pricing;
    private final TokenCounter tokens;
    private final BodyChunks body = new BodyChunks(MAX_BODY);
    private MeterReading reading = MeterReading.NOTHING;

    JsonUsageMeter(Exchange x, Pricing pricing, TokenCounter tokens) {
        this.x = x;
        this.pricing = pricing;
        this.tokens = tokens;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        body.add(chunk);
        return chunk;
    }

    @Override
    public Buffer onEnd() {
        if (!body.overflowed()) {
            byte[] bytes = body.bytes();
            ResponseMeta meta = x.provider.dialect().readResponse(bytes);
            if (io.bricksllm.telemetry.tracing.FinishReasons.wanted(x)) io.bricksllm.telemetry.tracing.FinishReasons.fromJson(x, bytes);
            String model = Models.pricingModel(x, meta.model().orElse(""));
            // no usage reported (Anthropic's legacy /v1/complete, some self-hosted servers): count it
            reading = meta.usage().isPresent()
                    ? pricing.reading(x, model, meta.usage().get(), () -> counted(model, bytes))
                    : pricing.reading(x, model, counted(model, bytes), null);
        }
        return Buffer.buffer();
    }

    private Usage counted(String model, byte[] response) {
        if (tokens == null) return Usage.of(0, 0);
        UsageDialect dialect = x.provider.dialect();
        JsonNode req = x.info.json();
        long prompt = req == null ? 0 : dialect.promptTokens(tokens, model, req);
        String text = "";
        try {
            JsonNode resp = Json.MAPPER.readTree(response);
            if (resp != null) text = dialect.answerText(resp);
        } catch (Exception e) {
            // not JSON: nothing to count
        }
        return Usage.of(prompt, text.isEmpty() ? 0 : tokens.countText(model, text));
    }

    @Override
    public MeterReading reading() {
        return reading;
    }
}
