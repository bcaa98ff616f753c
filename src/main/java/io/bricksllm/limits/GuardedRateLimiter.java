package io.bricksllm.limits;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;

/**
 * Applies a {@link FailurePolicy} to a {@link RateLimiter} whose store may be unavailable: failing open
 * admits the request, failing closed fails it with {@link LimitStoreUnavailable}. Every call still goes
 * to the store once the probe interval after the last failure has passed, so admission recovers by
 * itself when the store answers again. Giving a slot back is best effort and never fails.
 */
public final class GuardedRateLimiter implements RateLimiter {
    private static final String NAME = "rate-limit store";

    private final RateLimiter store;
    private final FailurePolicy policy;
    private final StoreOutage outage;

    public GuardedRateLimiter(RateLimiter store, FailurePolicy policy) {
        this(store, policy, Duration.ofSeconds(1));
    }

    /** @param probeInterval how long after a failure admission decides without asking the store */
    public GuardedRateLimiter(RateLimiter store, FailurePolicy policy, Duration probeInterval) {
        this.store = store;
        this.policy = policy;
        this.outage = new StoreOutage(NAME, policy, probeInterval);
    }

    @Override
    public Future<RateAdmission> acquire(String scope, long limit, Window window, Instant now) {
        if (outage.skipStore()) {
            outage.skipped();
            return unavailable(new LimitStoreUnavailable(NAME + " unavailable"));
        }
        return store.acquire(scope, limit, window, now).transform(ar -> {
            if (ar.succeeded()) {
                outage.succeeded();
                return Future.succeededFuture(ar.result());
            }
            outage.failed(ar.cause());
            return unavailable(ar.cause());
        });
    }

    private Future<RateAdmission> unavailable(Throwable cause) {
        if (policy == FailurePolicy.FAIL_OPEN) {
            outage.admittedByPolicy();
            return Future.succeededFuture(RateAdmission.ADMITTED_UNCOUNTED);
        }
        return Future.failedFuture(StoreOutage.unavailable(NAME, cause));
    }

    @Override
    public Future<Void> release(String scope, Window window, Instant acquiredAt) {
        return store.release(scope, window, acquiredAt).transform(ar -> {
            if (ar.succeeded()) {
                outage.succeeded();
            } else {
                outage.failed(ar.cause());
            }
            return Future.succeededFuture();
        });
    }

    /** A read, not admission: no policy applies; a failure is passed on as {@link LimitStoreUnavailable}. */
    @Override
    public Future<Long> used(String scope, Window window, Instant now) {
        return store.used(scope, window, now).transform(ar -> {
            if (ar.succeeded()) {
                outage.succeeded();
                return Future.succeededFuture(ar.result());
            }
            outage.failed(ar.cause());
            return Future.failedFuture(StoreOutage.unavailable(NAME, ar.cause()));
        });
    }

    public FailurePolicy policy() {
        return policy;
    }

    /** Failure counts and state, for metrics. */
    public StoreOutage outage() {
        return outage;
    }
}
