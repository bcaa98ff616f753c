package io.bricksllm.proxy.meter;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.AnthropicUsage;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.store.Json;
import io.bricksllm.metering.OpenAiUsage;
import io.bricksllm.metering.ResponseMeta;
import io.bricksllm.metering.Usage;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.BodyChunks;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.buffer.Buffer;

/**
 * Meters a JSON response from the {@code usage} the upstream reported. The body is forwarded as it
 * arrives; a copy (bounded) is kept to read usage once it is complete.
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
            ResponseMeta meta = x.provider.dialect() == UsageDialect.ANTHROPIC
                    ? AnthropicUsage.fromResponse(bytes) : OpenAiUsage.fromResponse(bytes);
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
        JsonNode req = x.info.json();
        long prompt = 0;
        if (req != null) {
            if (req.has("messages")) prompt = tokens.countChatPrompt(model, req.get("messages"));
            else if (req.has("prompt")) prompt = tokens.countText(model, req.get("prompt").isTextual() ? req.get("prompt").asText() : req.get("prompt").toString());
            else if (req.has("input")) prompt = tokens.countText(model, req.get("input").isTextual() ? req.get("input").asText() : req.get("input").toString());
        }
        StringBuilder text = new StringBuilder();
        try {
            JsonNode resp = Json.MAPPER.readTree(response);
            for (JsonNode c : resp.path("choices")) {
                text.append(c.path("message").path("content").asText("")).append(c.path("text").asText(""));
            }
            text.append(resp.path("completion").asText(""));
            for (JsonNode block : resp.path("content")) text.append(block.path("text").asText(""));
        } catch (Exception e) {
            // not JSON: nothing to count
        }
        return Usage.of(prompt, text.isEmpty() ? 0 : tokens.countText(model, text.toString()));
    }

    @Override
    public MeterReading reading() {
        return reading;
    }
}
