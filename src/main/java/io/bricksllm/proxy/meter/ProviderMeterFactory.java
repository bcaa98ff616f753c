package io.bricksllm.proxy.meter;

import io.bricksllm.metering.ResponsesStreamObserver;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.MeterFactory;
import io.bricksllm.proxy.forward.ResponseMeter;

/** Picks the meter of a response from its operation, status and content type. Errors are not priced. */
public final class ProviderMeterFactory implements MeterFactory {
    private final Pricing pricing;
    private final TokenCounter tokens;
    private final boolean costInUsage;

    public ProviderMeterFactory(Pricing pricing, TokenCounter tokens) {
        this(pricing, tokens, false);
    }

    /** {@code costInUsage} (RESPONSE_COST_HEADERS): an OpenAI stream's usage chunk, when the caller asked for it, gets usage.cost. */
    public ProviderMeterFactory(Pricing pricing, TokenCounter tokens, boolean costInUsage) {
        this.pricing = pricing;
        this.tokens = tokens;
        this.costInUsage = costInUsage;
    }

    @Override
    public ResponseMeter meterFor(Exchange x, int status, String contentType) {
        if (status != 200) return ResponseMeter.NONE;
        boolean sse = contentType != null && contentType.startsWith("text/event-stream");
        return switch (x.endpoint.operation()) {
            case CHAT, COMPLETION -> sse ? new SseUsageMeter(x, pricing, tokens, x.provider.dialect().streamObserver(), costInUsage
                    && x.info.includeUsageRequested() && x.provider.dialect() == UsageDialect.OPENAI) : new JsonUsageMeter(x, pricing, tokens);
            case MESSAGES -> sse ? new SseUsageMeter(x, pricing, tokens) : new JsonUsageMeter(x, pricing, tokens);
            // the Responses API is OpenAI's own shape whoever serves it (OpenAI, Azure): its stream has its own observer
            case RESPONSES -> sse ? new SseUsageMeter(x, pricing, tokens, new ResponsesStreamObserver()) : new JsonUsageMeter(x, pricing, tokens);
            case EMBEDDINGS -> new JsonUsageMeter(x, pricing, tokens);
            case SPEECH, TRANSCRIPTION, TRANSLATION -> new AudioMeter(x, pricing);
            case CUSTOM -> new CustomUsageMeter(x, pricing, tokens, sse);
            case TOKEN_COUNT, PASS_THROUGH, KEY_VIEW -> ResponseMeter.NONE;
        };
    }
}
