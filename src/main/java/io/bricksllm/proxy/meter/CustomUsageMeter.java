package io.bricksllm.proxy.meter;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.SseFramer;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.metering.Usage;
import io.bricksllm.provider.custom.CustomProviderAdapter;
import io.bricksllm.provider.custom.GjsonPath;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.bricksllm.store.Json;
import io.bricksllm.store.RouteConfig;
import io.vertx.core.buffer.Buffer;

/**
 * Meters a custom provider's answer by its route configuration: prompt tokens from the request's
 * prompt location, completion tokens from the response's (or the streamed) completion location,
 * priced by the setting's cost map.
 */
final class CustomUsageMeter implements ResponseMeter {
    private static final int MAX_BODY = 16 << 20;

    private final Exchange x;
    private final Pricing pricing;
    private final TokenCounter tokens;
    private final RouteConfig route;
    private final Buffer body = Buffer.buffer();
    private final StringBuilder streamed = new StringBuilder();
    private final SseFramer framer;
    private boolean streamEnded;
    private MeterReading reading = MeterReading.NOTHING;

    CustomUsageMeter(Exchange x, Pricing pricing, TokenCounter tokens, boolean sse) {
        this.x = x;
        this.pricing = pricing;
        this.tokens = tokens;
        this.route = ((CustomProviderAdapter) x.provider).route();
        this.framer = sse ? new SseFramer((event, data) -> onStreamData(data)) : null;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        if (framer != null) {
            framer.feed(chunk);
        } else if (body.length() + chunk.length() <= MAX_BODY) {
            body.appendBuffer(chunk);
        }
        return chunk;
    }

    private void onStreamData(String data) {
        if (streamEnded) return;
        if (!route.streamEndWord().isEmpty() && data.trim().equals(route.streamEndWord())) {
            streamEnded = true;
            return;
        }
        JsonNode n = parse(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (n != null) streamed.append(GjsonPath.text(n, route.streamResponseCompletionLocation()));
    }

    @Override
    public Buffer onEnd() {
        String completion;
        if (framer != null) {
            framer.end();
            completion = streamed.toString();
        } else {
            JsonNode resp = parse(body.getBytes());
            completion = resp == null ? "" : GjsonPath.text(resp, route.responseCompletionLocation());
        }
        String prompt = x.info.json() == null ? "" : GjsonPath.text(x.info.json(), route.requestPromptLocation());
        String model = x.info.model();
        reading = pricing.reading(x, model, Usage.of(tokens.countText(model, prompt), tokens.countText(model, completion)), null);
        return Buffer.buffer();
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public MeterReading reading() {
        return reading;
    }
}
