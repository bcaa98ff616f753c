package io.bricksllm.limits;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** In-process {@link RateLimiter} for the embedded mode: one counter per scope and window. */
public final class MemoryRateLimiter implements RateLimiter {
    private record Counter(long windowStart, long count) {}

    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    @Override
    public Future<Boolean> tryAcquire(String scope, long limit, Window window, Instant now) {
        long start = window.start(now);
        boolean[] admitted = {false};
        counters.compute(scope + '|' + window.unit(), (k, c) -> {
            long count = c == null || c.windowStart != start ? 0 : c.count;
            if (count >= limit) return c == null || c.windowStart != start ? new Counter(start, count) : c;
            admitted[0] = true;
            return new Counter(start, count + 1);
        });
        return Future.succeededFuture(admitted[0]);
    }

    @Override
    public Future<Void> release(String scope, Window window, Instant acquiredAt) {
        long start = window.start(acquiredAt);
        counters.computeIfPresent(scope + '|' + window.unit(),
                (k, c) -> c.windowStart == start && c.count > 0 ? new Counter(start, c.count - 1) : c);
        return Future.succeededFuture();
    }

    /** Requests counted in the current window (for tests and reporting). */
    public long count(String scope, Window window, Instant now) {
        Counter c = counters.get(scope + '|' + window.unit());
        return c == null || c.windowStart != window.start(now) ? 0 : c.count;
    }
}
