package io.bricksllm.limits;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@link RateLimiter} shared by every gateway instance: one counter per scope and window in Redis, at
 * {@code bricks:rate:<scope>:<unit>:<windowStart>}, checked and incremented by one Lua call, so N
 * concurrent acquisitions against a limit L admit exactly min(N, L) across all instances.
 *
 * <p>The window start is part of the key, so a counter is never read outside its window; its expiry
 * only collects garbage. The expiry is relative ({@code PEXPIRE} of the time left in the window plus a
 * grace), which keeps it independent of how well the gateway's and Redis's clocks agree.
 */
public final class RedisRateLimiter implements RateLimiter {
    static final String PREFIX = "bricks:rate:";

    /**
     * KEYS[1] counter · ARGV[1] limit, ARGV[2] time-to-live ms → the count with this request when counted (≥ 1),
     * minus the count when at the limit (≤ -1; the limit is at least 1).
     */
    private static final LuaScript ACQUIRE = LuaScript.of("acquire", """
            local count = tonumber(redis.call('GET', KEYS[1]) or '0')
            if count >= tonumber(ARGV[1]) then return -count end
            count = redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return count
            """);

    /** KEYS[1] counter → 1 given back, 0 nothing to give back (window gone or already zero). */
    private static final LuaScript RELEASE = LuaScript.of("release", """
            local count = tonumber(redis.call('GET', KEYS[1]) or '0')
            if count <= 0 then return 0 end
            redis.call('DECR', KEYS[1])
            return 1
            """);

    private final RedisConnector redis;
    private final long graceMillis;

    public RedisRateLimiter(RedisConnector redis) {
        this(redis, Duration.ofSeconds(5));
    }

    /** @param grace how long a counter outlives its window (tolerates clock skew between instances) */
    public RedisRateLimiter(RedisConnector redis, Duration grace) {
        this.redis = redis;
        this.graceMillis = grace.toMillis();
    }

    @Override
    public Future<RateAdmission> acquire(String scope, long limit, Window window, Instant now) {
        if (limit <= 0) return Future.succeededFuture(new RateAdmission(false, 0));
        long ttl = window.end(now) - now.toEpochMilli() + graceMillis;
        return redis.eval(ACQUIRE, List.of(key(scope, window, now)), List.of(Long.toString(limit), Long.toString(ttl)))
                .map(r -> {
                    long n = r.toLong();
                    return n > 0 ? new RateAdmission(true, n) : new RateAdmission(false, -n);
                });
    }

    @Override
    public Future<Void> release(String scope, Window window, Instant acquiredAt) {
        return redis.eval(RELEASE, List.of(key(scope, window, acquiredAt)), List.of()).mapEmpty();
    }

    @Override
    public Future<Long> used(String scope, Window window, Instant now) {
        return count(scope, window, now);
    }

    /** Requests counted in the current window (for tests and reporting). */
    public Future<Long> count(String scope, Window window, Instant now) {
        return redis.send(Request.cmd(Command.GET).arg(key(scope, window, now)))
                .map(r -> r == null ? 0L : r.toLong());
    }

    static String key(String scope, Window window, Instant at) {
        return PREFIX + scope + ':' + window.unit() + ':' + window.start(at);
    }
}
