package io.bricksllm.proxy.meter;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.OpenAiUsageChunkFilter;
import io.bricksllm.metering.SseFramer;
import io.bricksllm.metering.StreamUsageObserver;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.metering.Usage;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.buffer.Buffer;

/**
 * Meters a server-sent-event stream as it passes: usage from the stream as the provider's dialect observes it
 * (OpenAI's include_usage chunk, Anthropic's message_start/message_delta, Gemini's last usageMetadata), else
 * tokens counted from the streamed text. When the gateway asked for the usage chunk on the caller's behalf, that one
 * event is removed before the caller sees it.
 */
final class SseUsageMeter implements ResponseMeter {
    private final Exchange x;
    private final Pricing pricing;
    private final TokenCounter tokens;
    private final StreamUsageObserver observer;
    /** One pass over the bytes for both the observer and, when the usage chunk was injected, the gate that drops it. */
    private final SseFramer framer;
    private MeterReading reading = MeterReading.NOTHING;
    private boolean ended;
    /**
     * RESPONSE_COST_HEADERS on an OpenAI stream whose caller asked for usage: its usage chunk (and the [DONE] after
     * it) are held until the stream ends, then written with {@code usage.cost} — the cost needs the whole usage.
     */
    private final boolean addCost;
    private String heldUsageChunk;
    private boolean heldDone;

    SseUsageMeter(Exchange x, Pricing pricing, TokenCounter tokens) {
        this(x, pricing, tokens, x.provider.dialect().streamObserver());
    }

    /** With the observer of an operation whose stream is not its provider dialect's default (the Responses API). */
    SseUsageMeter(Exchange x, Pricing pricing, TokenCounter tokens, StreamUsageObserver observer) {
        this(x, pricing, tokens, observer, false);
    }

    /** {@code addCost}: the caller's usage chunk gets {@code usage.cost} (OpenAI chat streams only). */
    SseUsageMeter(Exchange x, Pricing pricing, TokenCounter tokens, StreamUsageObserver observer, boolean addCost) {
        this.x = x;
        this.pricing = pricing;
        this.tokens = tokens;
        this.observer = observer;
        this.addCost = addCost && !x.usageChunkInjected;
        if (this.addCost) x.streamLengthChanges = true;
        this.framer = new SseFramer(observer, x.usageChunkInjected ? SseUsageMeter::isNotTheUsageChunk
                : this.addCost ? this::holdUsageChunk : null, SseFramer.DEFAULT_MAX_EVENT_BYTES);
    }

    /** Keeps back the usage chunk and the [DONE] after it; every other event passes. */
    private boolean holdUsageChunk(String event, String data) {
        if (heldUsageChunk == null && OpenAiUsageChunkFilter.isUsageOnlyChunk(data)) {
            heldUsageChunk = data;
            return false;
        }
        if (heldUsageChunk != null && "[DONE]".equals(data.trim())) {
            heldDone = true;
            return false;
        }
        return true;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        return framer.gate(chunk);
    }

    @Override
    public Buffer onEnd() {
        if (ended) return Buffer.buffer();
        ended = true;
        Buffer rest = framer.finishGate();
        String model = Models.pricingModel(x, observer.model().orElse(""));
        var usage = observer.usage().map(u -> x.upstreamCompleted ? u : atLeastStreamed(u, model));
        reading = usage.isPresent()
                ? pricing.reading(x, model, usage.get(), () -> counted(model))
                : pricing.reading(x, model, counted(model), null);
        if (heldUsageChunk == null) return rest;
        String withCost = UsageCost.added(heldUsageChunk, reading.costUsd());
        Buffer out = Buffer.buffer(withCost.length() + 32 + rest.length());
        out.appendString("data: ").appendString(withCost).appendString("\n\n");
        if (heldDone) out.appendString("data: [DONE]\n\n");
        return out.appendBuffer(rest);
    }

    @Override
    public MeterReading reading() {
        return reading;
    }

    /**
     * A stream that ended early (the upstream cut it, the caller left) may have reported its prompt but not its output:
     * Anthropic's message_start says 1 output token and the real count comes in the message_delta that never arrived,
     * so the text already streamed was charged as one token. The output is at least that text, counted.
     */
    private Usage atLeastStreamed(Usage reported, String model) {
        if (reported.outputTokens() == Usage.UNREADABLE) return reported;
        long streamed = tokens.countText(model, observer.text());
        return streamed <= reported.outputTokens() ? reported
                : new Usage(reported.inputTokens(), streamed, reported.cacheReadTokens(), reported.cacheWriteTokens(), reported.reasoningTokens());
    }

    /** No usage came (old upstream, cut stream): count the prompt and the streamed text ourselves. */
    private Usage counted(String model) {
        JsonNode req = x.info.json();
        long prompt = req == null ? 0 : x.provider.dialect().promptTokens(tokens, model, req);
        return Usage.of(prompt, tokens.countText(model, observer.text()));
    }

    private static boolean isNotTheUsageChunk(String event, String data) {
        return !OpenAiUsageChunkFilter.isUsageOnlyChunk(data);
    }
}
