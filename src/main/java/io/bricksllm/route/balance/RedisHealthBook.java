package io.bricksllm.route.balance;

import io.bricksllm.limits.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Target health shared by every instance in scale-out mode: failures, cooldown and the probe live in Redis (one hash
 * and one sorted set per target, changed by Lua scripts so two instances cannot both count the fifth failure or both
 * take the probe). Picks must not wait for Redis, so they read a local mirror, updated from every script's answer and
 * refreshed every {@link #REFRESH_MS} for the targets this instance has seen. The probe is Redis's to give: when the
 * mirror says a cooldown is over, the instance asks for the probe, and its next pick of the target is the probe once
 * granted — at most one instance probes a target per cooldown. Redis unavailable: the mirror goes on as this
 * instance's own view (its failures still count locally), so routing never waits on or fails for Redis.
 */
public final class RedisHealthBook implements HealthBook {
    static final long REFRESH_MS = 250;
    private static final String PREFIX = "bricks:health:";

    /** Returns {state, until, failures in the window}. */
    private static final String FAILURE = """
            local st = redis.call('HGET', KEYS[1], 'state') or 'healthy'
            local now = tonumber(ARGV[1]); local window = tonumber(ARGV[2]); local threshold = tonumber(ARGV[3]); local cool = tonumber(ARGV[4])
            local ttl = window + 2 * cool
            if st == 'probing' then
              redis.call('HSET', KEYS[1], 'state', 'cooldown', 'until', now + cool)
            elseif st == 'healthy' then
              redis.call('ZADD', KEYS[2], now, ARGV[5])
              redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
              if redis.call('ZCARD', KEYS[2]) >= threshold then
                redis.call('HSET', KEYS[1], 'state', 'cooldown', 'until', now + cool)
              end
              redis.call('PEXPIRE', KEYS[2], ttl)
            end
            if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ttl) end
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
            return {redis.call('HGET', KEYS[1], 'state') or 'healthy', redis.call('HGET', KEYS[1], 'until') or '0', redis.call('ZCARD', KEYS[2])}
            """;
    /** Returns 1 when this caller got the probe. */
    private static final String CLAIM = """
            local st = redis.call('HGET', KEYS[1], 'state')
            local now = tonumber(ARGV[1])
            if st and st ~= 'healthy' and now >= tonumber(redis.call('HGET', KEYS[1], 'until')) then
              redis.call('HSET', KEYS[1], 'state', 'probing', 'until', now + tonumber(ARGV[2]))
              redis.call('PEXPIRE', KEYS[1], 3 * tonumber(ARGV[2]))
              return 1
            end
            return 0
            """;
    private static final String SUCCESS = """
            if redis.call('HGET', KEYS[1], 'state') == 'probing' then redis.call('DEL', KEYS[1], KEYS[2]) end
            return 1
            """;
    private static final String VIEW = """
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
            return {redis.call('HGET', KEYS[1], 'state') or 'healthy', redis.call('HGET', KEYS[1], 'until') or '0', redis.call('ZCARD', KEYS[2])}
            """;

    private static final class Mirror {
        volatile HealthState state = HealthState.HEALTHY;
        volatile long until;
        volatile int failures;
        volatile boolean probeGranted;
        volatile boolean claiming;
        volatile HealthSettings settings;
    }

    private final RedisConnector redis;
    private final LongSupplier clock;
    private final MemoryHealthBook local = new MemoryHealthBook();
    private final Map<String, Mirror> mirrors = new ConcurrentHashMap<>();
    private final long timer;
    private final Vertx vertx;

    public RedisHealthBook(Vertx vertx, RedisConnector redis, LongSupplier clock) {
        this.vertx = vertx;
        this.redis = redis;
        this.clock = clock;
        this.timer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
    }

    public void close() {
        vertx.cancelTimer(timer);
    }

    @Override
    public View view(String target, HealthSettings settings, long now) {
        Mirror m = mirror(target, settings);
        if (redis.down()) return local.view(target, settings, now);
        boolean due = m.state != HealthState.HEALTHY && (now >= m.until || m.probeGranted);
        return new View(m.state, m.failures, due);
    }

    @Override
    public boolean claimProbe(String target, HealthSettings settings, long now) {
        if (redis.down()) return local.claimProbe(target, settings, now);
        Mirror m = mirror(target, settings);
        if (m.probeGranted) {
            m.probeGranted = false;
            return true;
        }
        if (!m.claiming && m.state != HealthState.HEALTHY && now >= m.until) {
            m.claiming = true;
            script(CLAIM, target, List.of(String.valueOf(now), String.valueOf(settings.cooldown().toMillis()))).onComplete(ar -> {
                m.claiming = false;
                if (ar.succeeded() && ar.result().toInteger() == 1) {
                    m.state = HealthState.PROBING;
                    m.until = now + settings.cooldown().toMillis();
                    m.probeGranted = true;
                }
            });
        }
        return false;
    }

    @Override
    public void failure(String target, HealthSettings s, long now) {
        local.failure(target, s, now);
        Mirror m = mirror(target, s);
        script(FAILURE, target, List.of(String.valueOf(now), String.valueOf(s.window().toMillis()), String.valueOf(s.threshold()),
                String.valueOf(s.cooldown().toMillis()), now + ":" + System.nanoTime())).onSuccess(r -> apply(m, r));
    }

    @Override
    public void success(String target, long now) {
        local.success(target, now);
        Mirror m = mirrors.get(target);
        if (m == null || m.state != HealthState.PROBING) return;
        m.state = HealthState.HEALTHY;
        m.failures = 0;
        m.probeGranted = false;
        script(SUCCESS, target, List.of());
    }

    private Mirror mirror(String target, HealthSettings settings) {
        Mirror m = mirrors.computeIfAbsent(target, k -> new Mirror());
        m.settings = settings;
        return m;
    }

    /** Brings the mirror of every target this instance has seen up to date with what other instances recorded. */
    private void refresh() {
        if (redis.down()) return;
        long now = clock.getAsLong();
        mirrors.forEach((target, m) -> {
            HealthSettings s = m.settings;
            if (s == null) return;
            script(VIEW, target, List.of(String.valueOf(now), String.valueOf(s.window().toMillis()))).onSuccess(r -> apply(m, r));
        });
    }

    private static void apply(Mirror m, Response r) {
        HealthState state = switch (r.get(0).toString()) {
            case "cooldown" -> HealthState.COOLDOWN;
            case "probing" -> HealthState.PROBING;
            default -> HealthState.HEALTHY;
        };
        if (state == HealthState.HEALTHY) m.probeGranted = false;
        m.state = state;
        m.until = Long.parseLong(r.get(1).toString());
        m.failures = r.get(2).toInteger();
    }

    private Future<Response> script(String lua, String target, List<String> args) {
        Request req = Request.cmd(Command.EVAL).arg(lua).arg(2).arg(PREFIX + "{" + target + "}").arg(PREFIX + "{" + target + "}:failures");
        for (String a : args) req.arg(a);
        return redis.send(req);
    }
}
