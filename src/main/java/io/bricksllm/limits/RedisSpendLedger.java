package io.bricksllm.limits;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link SpendLedger} shared by every gateway instance. Per scope, in Redis:
 * <ul>
 *   <li>{@code bricks:spend:<scope>} — hash: {@code total} (settled micro-dollars), {@code reserved}
 *       (held by requests in flight) and one {@code h:<hold>} count per outstanding reservation;</li>
 *   <li>{@code bricks:spend:<scope>:holds} — sorted set of those reservations by expiry time;</li>
 *   <li>{@code bricks:spend:<scope>:w:<unit>:<windowStart>} — settled spend of one cost window, expiring
 *       after its window (plus a grace).</li>
 * </ul>
 * Reserve and settle are one Lua call each and apply exactly {@link MemorySpendLedger}'s admission rule.
 *
 * <p><b>Leaked reservations.</b> A process that dies between reserve and settle leaves its reservation
 * behind. Each reservation is also recorded in the {@code holds} sorted set with an expiry ({@code holdTtl},
 * longer than any request may last); the reserve script first purges expired reservations from
 * {@code reserved}. A settle that arrives after its reservation was purged still adds its cost and
 * takes nothing off {@code reserved} twice.
 *
 * <p><b>Seeding.</b> The database's events are the durable ledger; Redis is rebuilt from them
 * ({@link SpendSeed}) at start-up and after Redis lost its data. {@link #seed} never lowers a counter:
 * it sets each counter to the larger of what Redis holds and the seeded value. Several instances starting
 * (or seeding twice) therefore never double a total; seeding an emptied Redis restores it; and spend
 * settled after a FLUSHALL but before the re-seed is not wiped out by it.
 */
public final class RedisSpendLedger implements SpendLedger {
    static final String PREFIX = "bricks:spend:";
    /** Set once spend has been rebuilt from the database; gone when Redis lost its data. */
    static final String SEEDED_MARKER = "bricks:spend-seeded";
    /** Spend is kept per these windows (as {@link MemorySpendLedger} does). */
    private static final Window[] WINDOWS = Window.values();

    /**
     * KEYS[1] account · KEYS[2] holds · KEYS[3] window counter · KEYS[4] seeded marker
     * ARGV[1] estimate · [2] total limit · [3] window limit · [4] now ms · [5] hold expiry ms · [6] hold id
     * · [7] 1 when the marker is required → 1 reserved, 0 refused, -1 not seeded yet.
     */
    private static final LuaScript RESERVE = LuaScript.of("reserve", """
            if ARGV[7] == '1' and redis.call('EXISTS', KEYS[4]) == 0 then return -1 end
            local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
            if #stale > 0 then
              local freed = 0
              for _, hold in ipairs(stale) do
                local n = tonumber(redis.call('HGET', KEYS[1], 'h:' .. hold) or '0')
                freed = freed + n * tonumber(string.match(hold, '|(%d+)$'))
                redis.call('HDEL', KEYS[1], 'h:' .. hold)
              end
              redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
              if redis.call('HINCRBY', KEYS[1], 'reserved', -freed) < 0 then
                redis.call('HSET', KEYS[1], 'reserved', 0)
              end
            end
            local estimate = tonumber(ARGV[1])
            local function fits(spent, reserved, limit)
              if limit <= 0 then return true end
              if spent + reserved >= limit then return false end
              return reserved == 0 or spent + reserved + estimate <= limit
            end
            local account = redis.call('HMGET', KEYS[1], 'total', 'reserved')
            local total = tonumber(account[1] or '0')
            local reserved = tonumber(account[2] or '0')
            if not fits(total, reserved, tonumber(ARGV[2])) then return 0 end
            local windowLimit = tonumber(ARGV[3])
            if windowLimit > 0 and not fits(tonumber(redis.call('GET', KEYS[3]) or '0'), reserved, windowLimit) then
              return 0
            end
            if estimate > 0 then
              redis.call('HINCRBY', KEYS[1], 'reserved', estimate)
              redis.call('HINCRBY', KEYS[1], 'h:' .. ARGV[6], 1)
              redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
            end
            return 1
            """);

    /**
     * KEYS[1] account · KEYS[2] holds · KEYS[3..] window counters
     * ARGV[1] hold id ('' when nothing was reserved) · [2] reserved micros · [3] actual micros · [4..] window ttl ms.
     */
    private static final LuaScript SETTLE = LuaScript.of("settle", """
            if ARGV[1] ~= '' then
              local field = 'h:' .. ARGV[1]
              local left = redis.call('HINCRBY', KEYS[1], field, -1)
              if left >= 0 and redis.call('HINCRBY', KEYS[1], 'reserved', -tonumber(ARGV[2])) < 0 then
                redis.call('HSET', KEYS[1], 'reserved', 0)
              end
              if left <= 0 then
                redis.call('HDEL', KEYS[1], field)
                redis.call('ZREM', KEYS[2], ARGV[1])
              end
            end
            local actual = tonumber(ARGV[3])
            if actual > 0 then
              redis.call('HINCRBY', KEYS[1], 'total', actual)
              for i = 3, #KEYS do
                redis.call('INCRBY', KEYS[i], actual)
                redis.call('PEXPIRE', KEYS[i], ARGV[i + 1])
              end
            end
            return 1
            """);

    /**
     * KEYS[1] account · KEYS[2..n] window counters
     * ARGV[1] total · ARGV[2..n] window values · ARGV[n+1..] window ttl ms → number of counters raised.
     */
    private static final LuaScript SEED = LuaScript.of("seed", """
            local raised = 0
            if tonumber(redis.call('HGET', KEYS[1], 'total') or '-1') < tonumber(ARGV[1]) then
              redis.call('HSET', KEYS[1], 'total', ARGV[1])
              raised = raised + 1
            end
            local n = #KEYS
            for i = 2, n do
              if tonumber(redis.call('GET', KEYS[i]) or '-1') < tonumber(ARGV[i]) then
                redis.call('SET', KEYS[i], ARGV[i], 'PX', ARGV[n + i - 1])
                raised = raised + 1
              end
            end
            return raised
            """);

    private final RedisConnector redis;
    private final long holdTtlMillis;
    private final long graceMillis;
    private final boolean requireSeeded;

    /** Reservations expire after 15 minutes; admission does not wait for a seed marker. */
    public RedisSpendLedger(RedisConnector redis) {
        this(redis, Duration.ofMinutes(15), false);
    }

    /**
     * @param holdTtl       how long a reservation is held before it counts as leaked (longer than any request)
     * @param requireSeeded refuse admission ({@link LimitStoreUnavailable}) while Redis has not been rebuilt
     *                      from the database — after Redis lost its data until {@link SpendReseeder} ran
     */
    public RedisSpendLedger(RedisConnector redis, Duration holdTtl, boolean requireSeeded) {
        this.redis = redis;
        this.holdTtlMillis = holdTtl.toMillis();
        this.graceMillis = Duration.ofSeconds(5).toMillis();
        this.requireSeeded = requireSeeded;
    }

    @Override
    public Future<Optional<Reservation>> reserve(String scope, long estimateMicros, BudgetLimits limits, Instant now) {
        long estimate = Math.max(0, estimateMicros);
        String account = account(scope);
        String windowKey = limits.windowMicros() > 0 && limits.window() != null ? window(scope, limits.window(), now) : account;
        Reservation r = new Reservation(scope, estimate, now);
        List<String> keys = List.of(account, holds(scope), windowKey, SEEDED_MARKER);
        List<String> args = List.of(Long.toString(estimate), Long.toString(limits.totalMicros()),
                Long.toString(limits.window() == null ? 0 : limits.windowMicros()), Long.toString(now.toEpochMilli()),
                Long.toString(now.toEpochMilli() + holdTtlMillis), holdId(r), requireSeeded ? "1" : "0");
        return redis.eval(RESERVE, keys, args).compose(res -> switch (res.toInteger()) {
            case 1 -> Future.succeededFuture(Optional.of(r));
            case 0 -> Future.succeededFuture(Optional.empty());
            default -> Future.failedFuture(new LimitStoreUnavailable(
                    "spend counters in Redis " + redis + " are not rebuilt from the database yet"));
        });
    }

    @Override
    public Future<Void> settle(Reservation r, long actualMicros) {
        return add(r.scope(), r.micros() > 0 ? holdId(r) : "", r.micros(), actualMicros, r.at());
    }

    @Override
    public Future<Void> record(String scope, long micros, Instant at) {
        return add(scope, "", 0, micros, at);
    }

    private Future<Void> add(String scope, String holdId, long reserved, long actual, Instant at) {
        List<String> keys = new ArrayList<>(2 + WINDOWS.length);
        List<String> args = new ArrayList<>(3 + WINDOWS.length);
        keys.add(account(scope));
        keys.add(holds(scope));
        args.add(holdId);
        args.add(Long.toString(reserved));
        args.add(Long.toString(Math.max(0, actual)));
        if (actual > 0) {
            for (Window w : WINDOWS) {
                keys.add(window(scope, w, at));
                args.add(Long.toString(ttl(w, at)));
            }
        }
        return redis.eval(SETTLE, keys, args).mapEmpty();
    }

    /** Raises the scope's counters to the seeded values; never lowers them (see the class comment). */
    @Override
    public Future<Void> seed(String scope, long totalMicros, Map<Window, Long> currentWindowMicros, Instant now) {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<String> ttls = new ArrayList<>();
        keys.add(account(scope));
        values.add(Long.toString(totalMicros));
        currentWindowMicros.forEach((w, micros) -> {
            keys.add(window(scope, w, now));
            values.add(Long.toString(micros));
            ttls.add(Long.toString(ttl(w, now)));
        });
        values.addAll(ttls);
        return redis.eval(SEED, keys, values).mapEmpty();
    }

    @Override
    public Future<Long> totalSpent(String scope) {
        return redis.send(Request.cmd(Command.HGET).arg(account(scope)).arg("total")).map(RedisSpendLedger::toLong);
    }

    @Override
    public Future<Long> windowSpent(String scope, Window window, Instant now) {
        return redis.send(Request.cmd(Command.GET).arg(window(scope, window, now))).map(RedisSpendLedger::toLong);
    }

    /** Micro-dollars held by requests in flight (for tests and reporting). */
    public Future<Long> reserved(String scope) {
        return redis.send(Request.cmd(Command.HGET).arg(account(scope)).arg("reserved")).map(RedisSpendLedger::toLong);
    }

    /** Whether spend was rebuilt from the database since Redis last lost its data. */
    public Future<Boolean> seeded() {
        return redis.send(Request.cmd(Command.EXISTS).arg(SEEDED_MARKER)).map(r -> r.toLong() == 1L);
    }

    /** Records that spend was rebuilt from the database (after every scope's {@link #seed} succeeded). */
    public Future<Void> markSeeded(Instant now) {
        return redis.send(Request.cmd(Command.SET).arg(SEEDED_MARKER).arg(now.toString())).mapEmpty();
    }

    private static long toLong(io.vertx.redis.client.Response r) {
        return r == null ? 0L : r.toLong();
    }

    private long ttl(Window w, Instant at) {
        return Math.max(0, w.end(at) - at.toEpochMilli()) + graceMillis;
    }

    static String account(String scope) {
        return PREFIX + scope;
    }

    static String holds(String scope) {
        return PREFIX + scope + ":holds";
    }

    static String window(String scope, Window w, Instant at) {
        return PREFIX + scope + ":w:" + w.unit() + ':' + w.start(at);
    }

    /** Identical reservations (same instant, same amount) share an id and are counted; either may settle. */
    static String holdId(Reservation r) {
        return r.at().getEpochSecond() + "." + r.at().getNano() + "|" + r.micros();
    }
}
