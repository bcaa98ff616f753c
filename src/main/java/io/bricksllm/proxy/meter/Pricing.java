package io.bricksllm.proxy.meter;

import io.bricksllm.limits.Micros;
import io.bricksllm.metering.Cost;
import io.bricksllm.metering.CostCalculator;
import io.bricksllm.metering.CostOverride;
import io.bricksllm.metering.PriceKind;
import io.bricksllm.metering.Usage;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.store.CostMap;
import io.bricksllm.store.ProviderSetting;

/** Prices the usage of one exchange: the setting's costMap first, then the price book. */
public final class Pricing {
    private final CostCalculator calculator;

    public Pricing(CostCalculator calculator) {
        this.calculator = calculator;
    }

    public CostCalculator calculator() {
        return calculator;
    }

    public MeterReading reading(Exchange x, String model, Usage usage, boolean reported) {
        Cost cost = calculator.cost(x.provider.priceProvider(), model, usage, overrideOf(x.setting), kindOf(x.endpoint.operation()));
        return reading(model, usage.inputTokens(), usage.outputTokens(), cost, reported);
    }

    public static MeterReading reading(String model, long prompt, long completion, Cost cost, boolean reported) {
        return new MeterReading(model, prompt, completion, cost.usd().doubleValue(), Micros.of(cost.usd()), cost.unpriced(), reported);
    }

    static PriceKind kindOf(Operation op) {
        return switch (op) {
            case EMBEDDINGS -> PriceKind.EMBEDDINGS;
            case COMPLETION -> PriceKind.COMPLETION;
            default -> PriceKind.CHAT;
        };
    }

    public static CostOverride overrideOf(ProviderSetting setting) {
        CostMap m = setting == null ? null : setting.costMap();
        if (m == null) return CostOverride.NONE;
        return new CostOverride(m.promptCostPerModel(), m.completionCostPerModel(), m.embeddingsCostPerModel());
    }
}
