package io.bricksllm.proxy.meter;

import io.bricksllm.limits.Micros;
import io.bricksllm.metering.Cost;
import io.bricksllm.metering.Usage;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.stage.CostEstimator;

/**
 * An upper-bound cost before forwarding: prompt tokens bounded by half the body's bytes, output tokens
 * by the request's own cap (max_tokens, max_completion_tokens, …) or a default allowance.
 */
public final class PriceEstimator implements CostEstimator {
    static final long DEFAULT_OUTPUT_ALLOWANCE = 1024;

    private final Pricing pricing;

    public PriceEstimator(Pricing pricing) {
        this.pricing = pricing;
    }

    @Override
    public long estimateMicros(Exchange x) {
        Operation op = x.endpoint.operation();
        // a route has no provider until a step is tried: its steps' prices are not known here (as before: unpriced)
        if (op == Operation.PASS_THROUGH || op == Operation.TOKEN_COUNT || x.info.model().isEmpty() || x.provider == null) return 0;
        long input = x.body == null ? 0 : x.body.length() / 2;
        long output = switch (op) {
            case CHAT, COMPLETION, MESSAGES, RESPONSES, CUSTOM -> x.info.maxOutputTokens() > 0 ? x.info.maxOutputTokens() : DEFAULT_OUTPUT_ALLOWANCE;
            default -> 0;
        };
        if (op == Operation.SPEECH || op == Operation.TRANSCRIPTION || op == Operation.TRANSLATION) return 0;
        Cost cost = pricing.calculator().cost(x.provider.priceProvider(), x.info.model(), Usage.of(input, output),
                Pricing.overrideOf(x.setting), Pricing.kindOf(op));
        return Micros.of(cost.usd());
    }
}
