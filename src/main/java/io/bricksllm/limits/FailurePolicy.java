package io.bricksllm.limits;

import java.util.Locale;

/** What admission does while the counter store is unavailable. */
public enum FailurePolicy {
    /** Refuse: the call fails with {@link LimitStoreUnavailable} (the proxy answers 503). */
    FAIL_CLOSED,
    /** Admit as if the limit were not reached; the outage is logged once and counted. */
    FAIL_OPEN;

    /** Parses {@code fail_open}, {@code fail-open}, {@code open} (and the closed twins), any case. */
    public static FailurePolicy parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (v) {
            case "fail_open", "open" -> FAIL_OPEN;
            case "fail_closed", "closed" -> FAIL_CLOSED;
            default -> throw new IllegalArgumentException("expected fail_open or fail_closed, got '" + value + "'");
        };
    }
}
