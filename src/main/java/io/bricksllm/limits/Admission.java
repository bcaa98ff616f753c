package io.bricksllm.limits;

import java.util.List;

/** What {@link LimitLedger#admit} decided: every level admitted, or the first level (team, key, user) that refused. */
public sealed interface Admission {
    /** Counts per level after admission, for the rate-limit headers (levels of the request, same order). */
    List<LevelUsage> usage();

    record Admitted(Ticket ticket, List<LevelUsage> usage) implements Admission {}

    /**
     * Nothing was taken at any level. {@code retryAfterSeconds}: until the refusing window resets or the budget period
     * ends; 1 for requests in flight (concurrency, or reservations that will settle shortly); 0 when waiting cannot
     * help (a total budget reached). {@code usage}: counts without this request.
     */
    record Refused(Level level, LimitKind kind, long retryAfterSeconds, List<LevelUsage> usage) implements Admission {}
}
