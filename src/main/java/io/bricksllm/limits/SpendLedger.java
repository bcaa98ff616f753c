package io.bricksllm.limits;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * Budgets, reserve-then-settle: before forwarding, an upper-bound cost is reserved; afterwards the
 * reservation is replaced by the real cost. A request is admitted only while spent + reserved is below
 * each limit and, when other requests are in flight, its own reservation fits too — so concurrent
 * requests cannot overshoot by more than their settled cost beyond what they reserved.
 */
public interface SpendLedger {
    /** Reserves {@code estimateMicros}; empty when a limit is reached or would be passed. */
    Future<Optional<Reservation>> reserve(String scope, long estimateMicros, BudgetLimits limits, Instant now);

    /** Replaces the reservation by the real cost (0 releases it). */
    Future<Void> settle(Reservation reservation, long actualMicros);

    /** Adds spend that was not reserved (seeding from the database, unmetered paths). */
    Future<Void> record(String scope, long micros, Instant at);

    /**
     * Restores a scope's spend after a restart: its total and its spend in the current window of each unit.
     * Replaces what the ledger held for that scope.
     */
    Future<Void> seed(String scope, long totalMicros, java.util.Map<Window, Long> currentWindowMicros, Instant now);

    /** Total settled spend of a scope. */
    Future<Long> totalSpent(String scope);

    /** Settled spend of a scope in the window containing {@code now}. */
    Future<Long> windowSpent(String scope, Window window, Instant now);
}
