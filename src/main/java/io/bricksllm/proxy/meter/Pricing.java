package io.bricksllm.proxy.meter;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.limits.Micros;
import io.bricksllm.metering.Cost;
import io.bricksllm.metering.CostCalculator;
import io.bricksllm.metering.CostOverride;
import io.bricksllm.metering.PriceKind;
import io.bricksllm.metering.Usage;
import io.bricksllm.metering.UsageBounds;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.store.CostMap;
import io.bricksllm.store.ProviderSetting;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prices the usage of one exchange: the setting's costMap first, then the price book. */
public final class Pricing {
    private static final Logger LOG = LoggerFactory.getLogger(Pricing.class);
    /** The request fields that cap output tokens, as RequestInspector reads them. */
    private static final String[] OUTPUT_CAPS = {"max_completion_tokens", "max_tokens", "max_output_tokens", "max_tokens_to_sample"};

    private final CostCalculator calculator;

    public Pricing(CostCalculator calculator) {
        this.calculator = calculator;
    }

    public CostCalculator calculator() {
        return calculator;
    }

    /** Usage that may be charged, and what was wrong with the usage reported (empty when nothing was). */
    public record Bounded(Usage usage, String anomaly) {
    }

    /**
     * Prices {@code usage} (reported by the upstream, or counted when {@code counted} is null) within what the request
     * could have used ({@link UsageBounds}); the reading carries the anomaly when there was one.
     */
    public MeterReading reading(Exchange x, String model, Usage usage, Supplier<Usage> counted) {
        Bounded b = bounded(x, model, usage, counted);
        Cost cost = calculator.cost(x.provider.priceProvider(), model, b.usage(), overrideOf(x.setting), kindOf(x.endpoint.operation()));
        Usage u = b.usage();
        return new MeterReading(model, u.inputTokens(), u.outputTokens(), cost.usd().doubleValue(), Micros.of(cost.usd()),
                cost.unpriced(), b.anomaly(), u.cacheReadTokens(), u.cacheWriteTokens(), u.reasoningTokens());
    }

    /**
     * {@code usage} within the request's bounds. Above them the charge is the bounded usage: each implausible count is
     * replaced by the gateway's own ({@code counted}; the reported usage itself when null), never above the bound, and
     * the anomaly is logged once, without content.
     */
    public static Bounded bounded(Exchange x, String model, Usage usage, Supplier<Usage> counted) {
        UsageBounds bounds = boundsOf(x);
        String anomaly = bounds.anomalies(usage);
        if (anomaly.isEmpty()) return new Bounded(usage, "");
        Usage charged = bounds.settle(usage, counted == null ? usage : counted.get());
        LOG.warn("upstream usage anomaly ({}): provider={} model={} reported prompt={} completion={}; bounds prompt={} "
                        + "completion={}; charged prompt={} completion={} [keyId={} correlationId={}]",
                anomaly, x.provider.name(), model, shown(usage.inputTokens()), shown(usage.outputTokens()),
                bounds.maxInputTokens(), bounds.maxOutputTokens(), charged.inputTokens(), charged.outputTokens(),
                x.key == null ? "" : x.key.keyId(), x.correlationId);
        return new Bounded(charged, anomaly);
    }

    /** Prices a response that has no token counts (audio). */
    public static MeterReading reading(String model, Cost cost) {
        return new MeterReading(model, 0, 0, cost.usd().doubleValue(), Micros.of(cost.usd()), cost.unpriced(), "");
    }

    /**
     * What the request could have used: its body, its output cap and the choices it asked for. The cap is the largest
     * of the caller's and the forwarded body's, which a route step's params may have raised.
     */
    static UsageBounds boundsOf(Exchange x) {
        JsonNode req = x.info.json();
        long choices = 1;
        long cap = x.info.maxOutputTokens();
        if (req != null) {
            choices = Math.max(number(req.get("n"), 1), number(req.get("best_of"), 1));
            for (String field : OUTPUT_CAPS) cap = Math.max(cap, number(req.get(field), 0));
        }
        return UsageBounds.forRequest(x.body == null ? 0 : x.body.length(), cap, choices);
    }

    private static long number(JsonNode n, long absent) {
        return n != null && n.canConvertToLong() ? n.asLong() : absent;
    }

    private static String shown(long count) {
        return count == Usage.UNREADABLE ? "unreadable" : Long.toString(count);
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
