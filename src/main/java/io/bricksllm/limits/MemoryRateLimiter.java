package io.bricksllm.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * In-process {@link RateLimiter} for the embedded mode: one counter per scope and window. A counter is dropped
 * soon after its window has passed (a new window starts from zero anyway), so a gateway seeing millions of keys over a
 * month holds only the counters of windows still open.
 */
public final class MemoryRateLimiter implements RateLimiter {
    /** {@code ttlNanos}: how long after this write the window ends; negative to keep the current expiry. */
    private record Counter(long windowStart, long count, long ttlNanos) {}

    private final ConcurrentMap<String, Counter> counters;
    private final Cache<String, Counter> cache;

    public MemoryRateLimiter() {
        this(System::currentTimeMillis);
    }

    /** {@code nowMillis}: the gateway clock's time, which also dates the requests, so windows pass by the same time. */
    public MemoryRateLimiter(LongSupplier nowMillis) {
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(nowMillis.getAsLong());
        this.cache = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).expireAfter(new Expiry<String, Counter>() {
            @Override
            public long expireAfterCreate(String key, Counter c, long currentTime) {
                return Math.max(0, c.ttlNanos);
            }

            @Override
            public long expireAfterUpdate(String key, Counter c, long currentTime, long currentDuration) {
                return c.ttlNanos < 0 ? currentDuration : c.ttlNanos;
            }

            @Override
            public long expireAfterRead(String key, Counter c, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
        this.counters = cache.asMap();
    }

    /**
     * A counter is dropped this long after its window ends, not at once: a request dated a little behind the time
     * counters expire by (another clock, a slow thread) must still find its window's count, and a minute of extra
     * life costs little memory.
     */
    static final long SLACK_MILLIS = 60_000;

    private static long untilEnd(Window window, Instant now) {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, window.end(now) - now.toEpochMilli()) + SLACK_MILLIS);
    }

    @Override
    public Future<RateAdmission> acquire(String scope, long limit, Window window, Instant now) {
        long start = window.start(now);
        boolean[] admitted = {false};
        Counter after = counters.compute(scope + '|' + window.unit(), (k, c) -> {
            boolean sameWindow = c != null && c.windowStart == start;
            long count = sameWindow ? c.count : 0;
            long ttl = sameWindow ? -1 : untilEnd(window, now); // a counter lives until its window ends
            if (count >= limit) return new Counter(start, count, ttl);
            admitted[0] = true;
            return new Counter(start, count + 1, ttl);
        });
        return Future.succeededFuture(new RateAdmission(admitted[0], after.count));
    }

    @Override
    public Future<Void> release(String scope, Window window, Instant acquiredAt) {
        long start = window.start(acquiredAt);
        counters.computeIfPresent(scope + '|' + window.unit(),
                (k, c) -> c.windowStart == start && c.count > 0 ? new Counter(start, c.count - 1, -1) : c);
        return Future.succeededFuture();
    }

    @Override
    public Future<Long> used(String scope, Window window, Instant now) {
        return Future.succeededFuture(count(scope, window, now));
    }

    /** Requests counted in the current window (for tests and reporting). */
    public long count(String scope, Window window, Instant now) {
        Counter c = counters.get(scope + '|' + window.unit());
        return c == null || c.windowStart != window.start(now) ? 0 : c.count;
    }

    /** How many counters are held (windows still open, plus any not yet swept). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
