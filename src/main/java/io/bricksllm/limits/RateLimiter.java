package io.bricksllm.limits;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Admission for request-count limits: one atomic check-and-increment per request, so N concurrent
 * requests against a limit L admit at most L. A slot taken by a request that a later stage refused
 * is given back, so refused requests are not counted.
 */
public interface RateLimiter {
    /**
     * Counts one request in the current window of {@code scope} if fewer than {@code limit} were counted, and says
     * what the window's count is then (one store call: admission and the count come together).
     */
    Future<RateAdmission> acquire(String scope, long limit, Window window, Instant now);

    /** {@link #acquire}, when only admission matters. */
    default Future<Boolean> tryAcquire(String scope, long limit, Window window, Instant now) {
        return acquire(scope, limit, window, now).map(RateAdmission::admitted);
    }

    /** Gives back a slot taken at {@code acquiredAt} (no-op once that window has passed). */
    Future<Void> release(String scope, Window window, Instant acquiredAt);

    /** Requests counted in the window of {@code scope} containing {@code now}; changes nothing. */
    Future<Long> used(String scope, Window window, Instant now);
}
