package io.bricksllm.proxy.meter;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.Cost;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.bricksllm.store.Json;
import io.vertx.core.buffer.Buffer;

/**
 * Speech is priced by the characters of its input (known before the answer); transcriptions and
 * translations by the {@code duration} a verbose_json answer reports (other formats do not carry it,
 * so those are recorded unpriced).
 */
final class AudioMeter implements ResponseMeter {
    private static final int MAX_BODY = 4 << 20;

    private final Exchange x;
    private final Pricing pricing;
    private final Buffer body = Buffer.buffer();
    private MeterReading reading = MeterReading.NOTHING;

    AudioMeter(Exchange x, Pricing pricing) {
        this.x = x;
        this.pricing = pricing;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        if (x.endpoint.operation() != Operation.SPEECH && body.length() + chunk.length() <= MAX_BODY) body.appendBuffer(chunk);
        return chunk;
    }

    @Override
    public Buffer onEnd() {
        String model = x.info.model();
        Cost cost;
        if (x.endpoint.operation() == Operation.SPEECH) {
            JsonNode input = x.info.json() == null ? null : x.info.json().get("input");
            long chars = input == null ? 0 : input.asText().codePointCount(0, input.asText().length());
            cost = pricing.calculator().speech(x.provider.priceProvider(), model, chars);
        } else {
            double seconds = duration();
            cost = seconds < 0 ? Cost.UNPRICED : pricing.calculator().transcription(x.provider.priceProvider(), model, seconds);
        }
        reading = Pricing.reading(model, cost);
        return Buffer.buffer();
    }

    private double duration() {
        try {
            JsonNode n = Json.MAPPER.readTree(body.getBytes()).get("duration");
            return n != null && n.isNumber() ? n.asDouble() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public MeterReading reading() {
        return reading;
    }
}
