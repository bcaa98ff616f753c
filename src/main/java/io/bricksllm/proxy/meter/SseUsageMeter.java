package io.bricksllm.proxy.meter;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.AnthropicStreamObserver;
import io.bricksllm.metering.OpenAiStreamObserver;
import io.bricksllm.metering.OpenAiUsageChunkFilter;
import io.bricksllm.metering.SseFramer;
import io.bricksllm.metering.StreamUsageObserver;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.metering.Usage;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Meters a server-sent-event stream as it passes: usage from the stream (OpenAI's include_usage chunk,
 * Anthropic's message_start/message_delta), else tokens counted from the streamed text. When the gateway
 * asked for the usage chunk on the caller's behalf, that one event is removed before the caller sees it.
 */
final class SseUsageMeter implements ResponseMeter {
    private final Exchange x;
    private final Pricing pricing;
    private final TokenCounter tokens;
    private final StreamUsageObserver observer;
    private final SseFramer framer;
    private final SseEventGate gate;
    private MeterReading reading = MeterReading.NOTHING;
    private boolean ended;

    SseUsageMeter(Exchange x, Pricing pricing, TokenCounter tokens) {
        this.x = x;
        this.pricing = pricing;
        this.tokens = tokens;
        this.observer = x.provider.dialect() == UsageDialect.ANTHROPIC ? new AnthropicStreamObserver() : new OpenAiStreamObserver();
        this.framer = new SseFramer(observer);
        this.gate = x.usageChunkInjected ? new SseEventGate(SseUsageMeter::isUsageOnlyEvent) : null;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        framer.feed(chunk);
        return gate == null ? chunk : gate.accept(chunk);
    }

    @Override
    public Buffer onEnd() {
        if (ended) return Buffer.buffer();
        ended = true;
        framer.end();
        String model = Models.pricingModel(x, observer.model().orElse(""));
        var usage = observer.usage();
        reading = usage.isPresent()
                ? pricing.reading(x, model, usage.get(), () -> counted(model))
                : pricing.reading(x, model, counted(model), null);
        return gate == null ? Buffer.buffer() : gate.rest();
    }

    @Override
    public MeterReading reading() {
        return reading;
    }

    /** No usage came (old upstream, cut stream): count the prompt and the streamed text ourselves. */
    private Usage counted(String model) {
        JsonNode req = x.info.json();
        long prompt = 0;
        if (req != null) {
            if (x.endpoint.operation() == Operation.COMPLETION) {
                JsonNode p = req.get("prompt");
                prompt = p == null ? 0 : tokens.countText(model, p.isTextual() ? p.asText() : p.toString());
            } else if (req.has("messages")) {
                prompt = tokens.countChatPrompt(model, req.get("messages"));
            }
        }
        return Usage.of(prompt, tokens.countText(model, observer.text()));
    }

    static boolean isUsageOnlyEvent(Buffer event) {
        String text = event.toString(StandardCharsets.UTF_8);
        if (!text.contains("\"usage\"")) return false;
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("data:")) {
                String data = line.substring(5).stripLeading();
                if (OpenAiUsageChunkFilter.isUsageOnlyChunk(data)) return true;
            }
        }
        return false;
    }
}
