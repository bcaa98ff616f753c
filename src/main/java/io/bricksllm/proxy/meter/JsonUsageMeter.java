package io.bricksllm.proxy.meter;

import io.bricksllm.metering.AnthropicUsage;
import io.bricksllm.metering.OpenAiUsage;
import io.bricksllm.metering.ResponseMeta;
import io.bricksllm.metering.Usage;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
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
    private final Buffer body = Buffer.buffer();
    private boolean overflow;
    private MeterReading reading = MeterReading.NOTHING;

    JsonUsageMeter(Exchange x, Pricing pricing) {
        this.x = x;
        this.pricing = pricing;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        if (!overflow) {
            if (body.length() + chunk.length() > MAX_BODY) {
                overflow = true;
            } else {
                body.appendBuffer(chunk);
            }
        }
        return chunk;
    }

    @Override
    public Buffer onEnd() {
        if (!overflow) {
            byte[] bytes = body.getBytes();
            ResponseMeta meta = x.provider.dialect() == UsageDialect.ANTHROPIC
                    ? AnthropicUsage.fromResponse(bytes) : OpenAiUsage.fromResponse(bytes);
            String model = Models.pricingModel(x, meta.model().orElse(""));
            if (meta.usage().isPresent()) {
                reading = pricing.reading(x, model, meta.usage().get(), true);
            } else {
                reading = pricing.reading(x, model, Usage.of(0, 0), false);
            }
        }
        return Buffer.buffer();
    }

    @Override
    public MeterReading reading() {
        return reading;
    }
}
