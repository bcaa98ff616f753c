package io.bricksllm.limits;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** USD ↔ integer micro-dollars, the unit of every spend counter. */
public final class Micros {
    private Micros() {}

    public static long of(double usd) {
        return BigDecimal.valueOf(usd).movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Rounds up, so that a tiny non-zero cost is never counted as free. */
    public static long of(BigDecimal usd) {
        return usd.movePointRight(6).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    public static double toUsd(long micros) {
        return micros / 1_000_000.0;
    }
}
