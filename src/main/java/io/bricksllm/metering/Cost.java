package io.bricksllm.metering;

import java.math.BigDecimal;

/**
 * The price of one call in USD, exact (scale at least 9, never rounded), and whether it could be
 * priced at all. An unpriced call costs 0 but is flagged so that events and metrics show it
 * instead of silently undercharging (DECISIONS.md "unpriced model").
 */
public record Cost(BigDecimal usd, boolean unpriced) {

    static final int MIN_SCALE = 9;

    public static final Cost UNPRICED = new Cost(BigDecimal.ZERO, true);
    public static final Cost FREE = new Cost(BigDecimal.ZERO, false);

    public Cost {
        if (usd == null || usd.signum() < 0) {
            throw new IllegalArgumentException("cost must be a non-negative amount: " + usd);
        }
        usd = usd.scale() < MIN_SCALE ? usd.setScale(MIN_SCALE) : usd;
    }

    public static Cost priced(BigDecimal usd) {
        return new Cost(usd, false);
    }
}
