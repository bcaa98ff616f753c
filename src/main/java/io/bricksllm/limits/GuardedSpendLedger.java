package io.bricksllm.limits;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a {@link FailurePolicy} to a {@link SpendLedger} whose store may be unavailable. Only admission
 * ({@link #reserve}) is subject to the policy: failing open hands out a reservation the store never saw
 * (settling it later adds the cost and releases nothing), failing closed fails with
 * {@link LimitStoreUnavailable}. Settling and recording never fail the request: a failure is counted and
 * logged, and the cost stays in the database's events, from which {@link SpendSeed} rebuilds the store.
 * Reads pass failures on as {@link LimitStoreUnavailable}.
 */
public final class GuardedSpendLedger implements SpendLedger {
    private static final String NAME = "budget store";

    private final SpendLedger store;
    private final FailurePolicy policy;
    private final StoreOutage outage;

    public GuardedSpendLedger(SpendLedger store, FailurePolicy policy) {
        this(store, policy, Duration.ofSeconds(1));
    }

    /** @param probeInterval how long after a failure admission decides without asking the store */
    public GuardedSpendLedger(SpendLedger store, FailurePolicy policy, Duration probeInterval) {
        this.store = store;
        this.policy = policy;
        this.outage = new StoreOutage(NAME, policy, probeInterval);
    }

    @Override
    public Future<Optional<Reservation>> reserve(String scope, long estimateMicros, BudgetLimits limits, Instant now) {
        if (outage.skipStore()) {
            outage.skipped();
            return unavailable(new LimitStoreUnavailable(NAME + " unavailable"), scope, estimateMicros, now);
        }
        return store.reserve(scope, estimateMicros, limits, now).transform(ar -> {
            if (ar.succeeded()) {
                outage.succeeded();
                return Future.succeededFuture(ar.result());
            }
            outage.failed(ar.cause());
            return unavailable(ar.cause(), scope, estimateMicros, now);
        });
    }

    private Future<Optional<Reservation>> unavailable(Throwable cause, String scope, long estimateMicros, Instant now) {
        if (policy == FailurePolicy.FAIL_OPEN) {
            outage.admittedByPolicy();
            return Future.succeededFuture(Optional.of(new Reservation(scope, estimateMicros, now)));
        }
        return Future.failedFuture(StoreOutage.unavailable(NAME, cause));
    }

    @Override
    public Future<Void> settle(Reservation reservation, long actualMicros) {
        return bestEffort(store.settle(reservation, actualMicros));
    }

    @Override
    public Future<Void> record(String scope, long micros, Instant at) {
        return bestEffort(store.record(scope, micros, at));
    }

    @Override
    public Future<Void> seed(String scope, long totalMicros, Map<Window, Long> currentWindowMicros, Instant now) {
        return observed(store.seed(scope, totalMicros, currentWindowMicros, now));
    }

    @Override
    public Future<Long> totalSpent(String scope) {
        return observed(store.totalSpent(scope));
    }

    @Override
    public Future<Long> windowSpent(String scope, Window window, Instant now) {
        return observed(store.windowSpent(scope, window, now));
    }

    private Future<Void> bestEffort(Future<Void> call) {
        return call.transform(ar -> {
            if (ar.succeeded()) {
                outage.succeeded();
            } else {
                outage.failed(ar.cause());
            }
            return Future.succeededFuture();
        });
    }

    private <T> Future<T> observed(Future<T> call) {
        return outage.observed(call);
    }

    public FailurePolicy policy() {
        return policy;
    }

    /** Failure counts and state, for metrics. */
    public StoreOutage outage() {
        return outage;
    }

    /** The guarded ledger (e.g. to seed it at start-up). */
    public SpendLedger store() {
        return store;
    }
}
