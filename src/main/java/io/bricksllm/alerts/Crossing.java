package io.bricksllm.alerts;

import io.bricksllm.limits.LevelLimits;
import io.bricksllm.limits.Micros;
import io.bricksllm.limits.Window;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One threshold of one budget that a level's spend has reached.
 *
 * <p>Its {@link #id() id} is its claim's identity: scope, budget kind, the limit (a raised limit is a new budget),
 * for a period budget the window's unit and start (each period is claimed anew), and the threshold.
 *
 * <p>The webhook's body ({@link #payload()}), one JSON object:
 * <pre>
 * {"type":"spend_threshold",
 *  "alertId":"team:t1/period/d/1764806400/10000000/80",   // the claim id: the same alert always has the same one
 *  "level":"team"|"key"|"user", "id":"t1", "scope":"team:t1",
 *  "budget":{"kind":"period","limitUsd":10.0,"unit":"d","periodStart":1764806400,"periodEnd":1764892800}
 *         | {"kind":"total","limitUsd":100.0},
 *  "spendUsd":8.1, "thresholdPercent":80, "at":1764850000}
 * </pre>
 * Times are Unix seconds (UTC); {@code periodEnd} is exclusive; {@code spendUsd} is the spend read when the threshold
 * was found crossed (at or above {@code thresholdPercent} % of {@code limitUsd}).
 */
record Crossing(LevelLimits level, Kind kind, long limitMicros, Window window, long periodStartMillis,
                long periodEndMillis, long spentMicros, int threshold, Instant at) {

    enum Kind {
        TOTAL("total"), PERIOD("period");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** Whether {@code spent} reaches {@code percent} % of {@code limit}, exactly (no rounding at the boundary). */
    static boolean reached(long spentMicros, long limitMicros, int percent) {
        try {
            return Math.multiplyExact(spentMicros, 100L) >= Math.multiplyExact(limitMicros, (long) percent);
        } catch (ArithmeticException overflow) { // beyond $92 billion: not worth exactness
            return spentMicros / 100.0 >= limitMicros / 10_000.0 * percent;
        }
    }

    String id() {
        return kind == Kind.TOTAL
                ? level.scope() + "/total/" + limitMicros + "/" + threshold
                : level.scope() + "/period/" + window.unit() + "/" + periodStartMillis / 1000 + "/" + limitMicros + "/" + threshold;
    }

    /** Until when the claim holds: a period's end plus {@code graceMillis} (clocks of instances differ); a total's for good. */
    long claimExpiresAt(long graceMillis) {
        return kind == Kind.TOTAL ? Long.MAX_VALUE : periodEndMillis + graceMillis;
    }

    JsonObject payload() {
        JsonObject budget = new JsonObject().put("kind", kind.label).put("limitUsd", Micros.toUsd(limitMicros));
        if (kind == Kind.PERIOD) {
            budget.put("unit", window.unit()).put("periodStart", periodStartMillis / 1000).put("periodEnd", periodEndMillis / 1000);
        }
        return new JsonObject()
                .put("type", "spend_threshold")
                .put("alertId", id())
                .put("level", level.level().label())
                .put("id", level.id())
                .put("scope", level.scope())
                .put("budget", budget)
                .put("spendUsd", Micros.toUsd(spentMicros))
                .put("thresholdPercent", threshold)
                .put("at", at.getEpochSecond());
    }
}
