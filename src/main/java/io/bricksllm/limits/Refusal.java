package io.bricksllm.limits;

import java.time.Instant;

/**
 * Why a level refused, as the atomic step found it (the Lua scripts return {@code ordinal() + 1}); the retry-after
 * follows from it, so both ledgers compute it the same way.
 */
enum Refusal {
    REQUESTS(LimitKind.REQUESTS),
    TOKENS(LimitKind.TOKENS),
    /** The total budget is spent: waiting cannot help. */
    BUDGET_TOTAL(LimitKind.BUDGET),
    /** The window's budget is spent: wait for the next window. */
    BUDGET_WINDOW(LimitKind.BUDGET),
    /** Budget held by requests in flight, which will settle shortly. */
    BUDGET_IN_FLIGHT(LimitKind.BUDGET),
    CONCURRENCY(LimitKind.CONCURRENCY);

    private static final Refusal[] CODES = values();

    final LimitKind kind;

    Refusal(LimitKind kind) {
        this.kind = kind;
    }

    /** From a script's code (1-based). */
    static Refusal ofCode(long code) {
        return CODES[(int) code - 1];
    }

    long retryAfterSeconds(LevelLimits level, Instant now) {
        return switch (this) {
            case REQUESTS -> untilEnd(level.requestWindow(), now);
            case TOKENS -> untilEnd(level.tokenWindow(), now);
            case BUDGET_TOTAL -> 0;
            case BUDGET_WINDOW -> untilEnd(level.budget().window(), now);
            case BUDGET_IN_FLIGHT, CONCURRENCY -> 1;
        };
    }

    Admission.Refused refused(LevelLimits level, Instant now, java.util.List<LevelUsage> usage) {
        return new Admission.Refused(level.level(), kind, retryAfterSeconds(level, now), usage);
    }

    /** Whole seconds until the window containing {@code now} ends, rounded up, at least 1. */
    static long untilEnd(Window window, Instant now) {
        long ms = window.end(now) - now.toEpochMilli();
        return Math.max(1, (ms + 999) / 1000);
    }
}
