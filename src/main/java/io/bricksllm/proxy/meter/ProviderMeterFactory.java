package io.bricksllm.proxy.meter;

import io.bricksllm.metering.ResponsesStreamObserver;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.MeterFactory;
import io.bricksllm.proxy.forward.ResponseMeter;

/** Picks the meter of a response from its operation, status and content type. Errors are not priced. */
public final class ProviderMeterFactory implements MeterFactory {
    private final Pricing pricing;
    private final TokenCounter tokens;

    public ProviderMeterFactory(Pricing pricing, TokenCounter tokens) {
        this.pricing = pricing;
        this.tokens = tokens;
    }

    @Override
    public ResponseMeter meterFor(Exchange x, int status, String contentType) {
        if (status != 200) return ResponseMeter.NONE;
        boolean sse = contentType != null && contentType.startsWith("text/event-stream");
        return switch (x.endpoint.operation()) {
            case CHAT, COMPLETION, MESSAGES -> sse ? new SseUsageMeter(x, pricing, tokens) : new JsonUsageMeter(x, pricing, tokens);
            // the Responses API is OpenAI's own shape whoever serves it (OpenAI, Azure): its stream has its own observer
            case RESPONSES -> sse ? new SseUsageMeter(x, pricing, tokens, new ResponsesStreamObserver()) : new JsonUsageMeter(x, pricing, tokens);
            case EMBEDDINGS -> new JsonUsageMeter(x, pricing, tokens);
            case SPEECH, TRANSCRIPTION, TRANSLATION -> new AudioMeter(x, pricing);
            case CUSTOM -> new CustomUsageMeter(x, pricing, tokens, sse);
            case TOKEN_COUNT, PASS_THROUGH, KEY_VIEW -> ResponseMeter.NONE;
        };
    }
}
