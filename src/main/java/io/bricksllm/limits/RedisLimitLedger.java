package io.bricksllm.limits;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LimitLedger} shared by every gateway instance: one Lua call admits a request at every level (team, key,
 * user) and for every kind of limit, checking everything before changing anything; one Lua call settles it. N
 * instances sharing Redis therefore admit exactly what one would.
 *
 * <p>Counters per scope, shared with the single-kind classes so that they, seeding and the self-service view keep
 * seeing the same numbers:
 * <ul>
 *   <li>requests: {@link RedisRateLimiter}'s {@code bricks:rate:<scope>:<unit>:<windowStart>};</li>
 *   <li>spend: {@link RedisSpendLedger}'s account hash, holds set and window counters, and its seeded marker; holds
 *       are named {@code <leaseId>|<micros>}, the format whose amount its purge of leaked holds reads;</li>
 *   <li>tokens: {@code bricks:tokens:<scope>:<unit>:<windowStart>}, a hash of {@code used} (settled + reserved) and
 *       {@code held} (reserved by requests in flight), expiring after its window;</li>
 *   <li>concurrency: {@code bricks:conc:<scope>}, a sorted set of lease ids scored by lease expiry (epoch ms);
 *       admission drops expired leases first.</li>
 * </ul>
 *
 * <p><b>Leases.</b> A request in flight keeps its concurrency slots by renewal: one periodic timer per ledger renews
 * every live lease of this instance in one call every lease/3. An instance that dies stops renewing, and its slots
 * lapse after the lease time. A ticket never settled (a bug) is renewed for at most {@code holdTtl}, as long as its
 * budget reservation is held.
 */
public final class RedisLimitLedger implements LimitLedger, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLimitLedger.class);

    /** {@code CONCURRENCY_LEASE}'s default. */
    public static final Duration DEFAULT_CONCURRENCY_LEASE = Duration.ofSeconds(60);
    static final String TOKENS_PREFIX = "bricks:tokens:";
    static final String CONCURRENCY_PREFIX = "bricks:conc:";
    private static final Window[] WINDOWS = Window.values();
    private static final int KEYS_PER_LEVEL = 6;
    private static final int ARGS_PER_LEVEL = 7;
    private static final int SETTLE_KEYS_PER_LEVEL = 5 + WINDOWS.length;
    private static final int SETTLE_ARGS_PER_LEVEL = 5;

    /**
     * KEYS[1] seeded marker; per level from 1 + 6 (i - 1): +1 request counter, +2 token counter, +3 spend account,
     * +4 spend holds, +5 spend window counter, +6 concurrency leases (placeholders where the level has no such limit).
     * ARGV[1] now ms · [2] cost · [3] tokens · [4] lease id · [5] lease expiry ms · [6] hold expiry ms · [7] '1' when
     * the seeded marker is required · [8] ttl ms of the lease set · [9] levels; per level from 9 + 7 (i - 1): +1 request
     * limit, +2 request counter ttl ms, +3 token limit, +4 token counter ttl ms, +5 total budget, +6 window budget,
     * +7 max concurrent (0 = none).
     * → {-1} not seeded; {1, 0, 0, counts…} admitted; {0, level, refusal code, counts…} refused; counts are
     * (requests, tokens) per level, -1 where not limited.
     */
    private static final LuaScript ADMIT = LuaScript.of("admit-levels", """
            if ARGV[7] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
            local now = tonumber(ARGV[1])
            local cost = tonumber(ARGV[2])
            local tokens = tonumber(ARGV[3])
            local n = tonumber(ARGV[9])
            local function fits(spent, reserved, estimate, limit)
              if limit <= 0 then return true end
              if spent + reserved >= limit then return false end
              return reserved == 0 or spent + reserved + estimate <= limit
            end
            local st = {}
            for i = 1, n do
              local k, a = 1 + 6 * (i - 1), 9 + 7 * (i - 1)
              local s = {req = 0, used = 0, held = 0, inFlight = 0, spent = 0, reserved = 0, windowSpent = 0,
                         reqLimit = tonumber(ARGV[a + 1]), tokLimit = tonumber(ARGV[a + 3]),
                         total = tonumber(ARGV[a + 5]), windowBudget = tonumber(ARGV[a + 6]), maxConc = tonumber(ARGV[a + 7])}
              s.budget = s.total > 0 or s.windowBudget > 0
              if s.reqLimit > 0 then s.req = tonumber(redis.call('GET', KEYS[k + 1]) or '0') end
              if s.tokLimit > 0 then
                local t = redis.call('HMGET', KEYS[k + 2], 'used', 'held')
                s.used = tonumber(t[1] or '0')
                s.held = tonumber(t[2] or '0')
              end
              if s.budget then
                local stale = redis.call('ZRANGEBYSCORE', KEYS[k + 4], '-inf', '(' .. ARGV[1])
                if #stale > 0 then
                  local freed = 0
                  for _, hold in ipairs(stale) do
                    local c = tonumber(redis.call('HGET', KEYS[k + 3], 'h:' .. hold) or '0')
                    freed = freed + c * tonumber(string.match(hold, '|(%d+)$'))
                    redis.call('HDEL', KEYS[k + 3], 'h:' .. hold)
                  end
                  redis.call('ZREMRANGEBYSCORE', KEYS[k + 4], '-inf', '(' .. ARGV[1])
                  if redis.call('HINCRBY', KEYS[k + 3], 'reserved', -freed) < 0 then
                    redis.call('HSET', KEYS[k + 3], 'reserved', 0)
                  end
                end
                local acc = redis.call('HMGET', KEYS[k + 3], 'total', 'reserved')
                s.spent = tonumber(acc[1] or '0')
                s.reserved = tonumber(acc[2] or '0')
                if s.windowBudget > 0 then s.windowSpent = tonumber(redis.call('GET', KEYS[k + 5]) or '0') end
              end
              if s.maxConc > 0 then
                redis.call('ZREMRANGEBYSCORE', KEYS[k + 6], '-inf', ARGV[1])
                s.inFlight = redis.call('ZCARD', KEYS[k + 6])
              end
              st[i] = s
            end
            local function answer(status, level, code, taken)
              local out = {status, level, code}
              for i = 1, n do
                local s = st[i]
                out[#out + 1] = s.reqLimit > 0 and (s.req + taken) or -1
                out[#out + 1] = s.tokLimit > 0 and (s.used + taken * tokens) or -1
              end
              return out
            end
            for i = 1, n do
              local s = st[i]
              local code = 0
              if s.reqLimit > 0 and s.req >= s.reqLimit then
                code = 1
              elseif s.tokLimit > 0 and not fits(s.used - s.held, s.held, tokens, s.tokLimit) then
                code = 2
              elseif s.budget and not (fits(s.spent, s.reserved, cost, s.total)
                                       and fits(s.windowSpent, s.reserved, cost, s.windowBudget)) then
                if s.total > 0 and s.spent >= s.total then code = 3
                elseif s.windowBudget > 0 and s.windowSpent >= s.windowBudget then code = 4
                else code = 5 end
              elseif s.maxConc > 0 and s.inFlight >= s.maxConc then
                code = 6
              end
              if code > 0 then return answer(0, i, code, 0) end
            end
            local hold = ARGV[4] .. '|' .. ARGV[2]
            for i = 1, n do
              local k, a = 1 + 6 * (i - 1), 9 + 7 * (i - 1)
              local s = st[i]
              if s.reqLimit > 0 then
                redis.call('INCR', KEYS[k + 1])
                redis.call('PEXPIRE', KEYS[k + 1], ARGV[a + 2])
              end
              if s.tokLimit > 0 then
                redis.call('HINCRBY', KEYS[k + 2], 'used', tokens)
                redis.call('HINCRBY', KEYS[k + 2], 'held', tokens)
                redis.call('PEXPIRE', KEYS[k + 2], ARGV[a + 4])
              end
              if s.budget and cost > 0 then
                redis.call('HINCRBY', KEYS[k + 3], 'reserved', cost)
                redis.call('HINCRBY', KEYS[k + 3], 'h:' .. hold, 1)
                redis.call('ZADD', KEYS[k + 4], ARGV[6], hold)
              end
              if s.maxConc > 0 then
                redis.call('ZADD', KEYS[k + 6], ARGV[5], ARGV[4])
                redis.call('PEXPIRE', KEYS[k + 6], ARGV[8])
              end
            end
            return answer(1, 0, 0, 1)
            """);

    /**
     * Per level from 10 (i - 1): KEYS +1 request counter, +2 token counter, +3 spend account, +4 spend holds,
     * +5 concurrency leases, +6.. spend window counters (one per {@link Window}, dated at admission).
     * ARGV[1] lease id · [2] hold id ('' when none) · [3] reserved cost · [4] actual cost · [5] reserved tokens ·
     * [6] actual tokens (-1 = keep the reservation) · [7] '1' counts as a request · [8] '1' counted at admission ·
     * [9] levels · [10..9 + w] spend window ttls ms (w windows); per level from 9 + w + 5 (i - 1): +1..+4 '1' when the
     * level limits requests, tokens, spend, concurrency; +5 token counter ttl ms (should an uncounted request create it).
     */
    private static final LuaScript SETTLE = LuaScript.of("settle-levels", """
            local counted = ARGV[8] == '1'
            local resCost, actual = tonumber(ARGV[3]), tonumber(ARGV[4])
            local resTok, actTok = tonumber(ARGV[5]), tonumber(ARGV[6])
            local n = tonumber(ARGV[9])
            local windows = #ARGV - 9 - 5 * n
            for i = 1, n do
              local k, a = 10 * (i - 1), 9 + windows + 5 * (i - 1)
              if counted and ARGV[a + 1] == '1' and ARGV[7] ~= '1' then
                if tonumber(redis.call('GET', KEYS[k + 1]) or '0') > 0 then redis.call('DECR', KEYS[k + 1]) end
              end
              if ARGV[a + 2] == '1' then
                local dUsed, dHeld = 0, 0
                if counted then
                  dHeld = -resTok
                  if actTok >= 0 then dUsed = actTok - resTok end
                elseif actTok > 0 then
                  dUsed = actTok
                end
                if redis.call('EXISTS', KEYS[k + 2]) == 1 then
                  if redis.call('HINCRBY', KEYS[k + 2], 'used', dUsed) < 0 then redis.call('HSET', KEYS[k + 2], 'used', 0) end
                  if redis.call('HINCRBY', KEYS[k + 2], 'held', dHeld) < 0 then redis.call('HSET', KEYS[k + 2], 'held', 0) end
                elseif dUsed > 0 then
                  redis.call('HSET', KEYS[k + 2], 'used', dUsed, 'held', 0)
                  redis.call('PEXPIRE', KEYS[k + 2], ARGV[a + 5])
                end
              end
              if ARGV[a + 3] == '1' then
                if counted and ARGV[2] ~= '' then
                  local field = 'h:' .. ARGV[2]
                  local left = redis.call('HINCRBY', KEYS[k + 3], field, -1)
                  if left >= 0 and redis.call('HINCRBY', KEYS[k + 3], 'reserved', -resCost) < 0 then
                    redis.call('HSET', KEYS[k + 3], 'reserved', 0)
                  end
                  if left <= 0 then
                    redis.call('HDEL', KEYS[k + 3], field)
                    redis.call('ZREM', KEYS[k + 4], ARGV[2])
                  end
                end
                if actual > 0 then
                  redis.call('HINCRBY', KEYS[k + 3], 'total', actual)
                  for w = 1, windows do
                    redis.call('INCRBY', KEYS[k + 5 + w], actual)
                    redis.call('PEXPIRE', KEYS[k + 5 + w], ARGV[9 + w])
                  end
                end
              end
              if counted and ARGV[a + 4] == '1' then redis.call('ZREM', KEYS[k + 5], ARGV[1]) end
            end
            return 1
            """);

    /**
     * KEYS[1] request counter · [2] token counter · [3] spend account · [4] spend window counter · [5] leases
     * ARGV[1..5] '1' where read · [6] now ms → {requests, tokens, total spent, window spent, in flight}, -1 where not read.
     */
    private static final LuaScript SNAPSHOT = LuaScript.of("snapshot-level", """
            local out = {-1, -1, -1, -1, -1}
            if ARGV[1] == '1' then out[1] = tonumber(redis.call('GET', KEYS[1]) or '0') end
            if ARGV[2] == '1' then out[2] = tonumber(redis.call('HGET', KEYS[2], 'used') or '0') end
            if ARGV[3] == '1' then out[3] = tonumber(redis.call('HGET', KEYS[3], 'total') or '0') end
            if ARGV[4] == '1' then out[4] = tonumber(redis.call('GET', KEYS[4]) or '0') end
            if ARGV[5] == '1' then out[5] = redis.call('ZCOUNT', KEYS[5], '(' .. ARGV[6], '+inf') end
            return out
            """);

    /**
     * KEYS: lease sets · ARGV[1] new expiry ms · [2] ttl ms of the sets · then pairs (index in KEYS, lease id). Only
     * leases still held are renewed (a settled one is not brought back), and never shortened (a request dated ahead).
     * → the lease ids no longer held (settled by another instance, or lapsed), which stop being renewed.
     */
    private static final LuaScript RENEW = LuaScript.of("renew-leases", """
            local expiry = tonumber(ARGV[1])
            local held, order = {}, {}
            for j = 3, #ARGV, 2 do
              local set, lease = KEYS[tonumber(ARGV[j])], ARGV[j + 1]
              local score = redis.call('ZSCORE', set, lease)
              if held[lease] == nil then order[#order + 1] = lease end
              if score then
                held[lease] = true
                if tonumber(score) < expiry then redis.call('ZADD', set, expiry, lease) end
              elseif not held[lease] then
                held[lease] = false
              end
            end
            for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
            local gone = {}
            for _, lease in ipairs(order) do
              if not held[lease] then gone[#gone + 1] = lease end
            end
            return gone
            """);

    /** A request in flight on this instance holding concurrency slots. */
    private record Live(List<String> leaseSets, long admittedAtMillis) {}

    private final Vertx vertx;
    private final RedisConnector redis;
    private final long leaseMillis;
    private final long holdTtlMillis;
    private final boolean requireSeeded;
    private final Clock clock;
    private final long graceMillis = Duration.ofSeconds(5).toMillis();
    private final String instance = Long.toHexString(new SecureRandom().nextLong());
    private final AtomicLong admissions = new AtomicLong();
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final long timer;

    /** Leases of {@link #DEFAULT_CONCURRENCY_LEASE}, reservations held 15 minutes, no seeded marker required, the system clock. */
    public RedisLimitLedger(Vertx vertx, RedisConnector redis) {
        this(vertx, redis, DEFAULT_CONCURRENCY_LEASE, Duration.ofMinutes(15), false, Clock.systemUTC());
    }

    /**
     * @param concurrencyLease how long a concurrency slot outlives the last renewal ({@code CONCURRENCY_LEASE})
     * @param holdTtl          how long a reservation is held before it counts as leaked (longer than any request)
     * @param requireSeeded    refuse ({@link LimitStoreUnavailable}) admissions at levels with a budget while Redis has
     *                         not been rebuilt from the database (as {@link RedisSpendLedger})
     * @param clock            the clock requests are dated by (lease renewals are dated by it too)
     */
    public RedisLimitLedger(Vertx vertx, RedisConnector redis, Duration concurrencyLease, Duration holdTtl,
                            boolean requireSeeded, Clock clock) {
        this.vertx = vertx;
        this.redis = redis;
        this.leaseMillis = Math.max(1, concurrencyLease.toMillis());
        this.holdTtlMillis = holdTtl.toMillis();
        this.requireSeeded = requireSeeded;
        this.clock = clock;
        this.timer = vertx.setPeriodic(Math.max(1, leaseMillis / 3), id -> renew());
    }

    @Override
    public Future<Admission> admit(AdmissionRequest request) {
        List<LevelLimits> levels = request.levels();
        Instant now = request.now();
        long nowMs = now.toEpochMilli();
        String leaseId = instance + '-' + Long.toString(admissions.incrementAndGet(), 36);
        boolean needsMarker = false;
        boolean leases = false;
        List<String> keys = new ArrayList<>(1 + KEYS_PER_LEVEL * levels.size());
        List<String> args = new ArrayList<>(9 + ARGS_PER_LEVEL * levels.size());
        keys.add(RedisSpendLedger.SEEDED_MARKER);
        for (LevelLimits l : levels) {
            needsMarker |= l.limitsSpend();
            leases |= l.limitsConcurrency();
        }
        args.add(Long.toString(nowMs));
        args.add(Long.toString(request.costMicros()));
        args.add(Long.toString(request.tokens()));
        args.add(leaseId);
        args.add(Long.toString(nowMs + leaseMillis));
        args.add(Long.toString(nowMs + holdTtlMillis));
        args.add(requireSeeded && needsMarker ? "1" : "0");
        args.add(Long.toString(2 * leaseMillis + graceMillis));
        args.add(Integer.toString(levels.size()));
        for (LevelLimits l : levels) {
            String s = l.scope();
            String account = RedisSpendLedger.account(s);
            BudgetLimits b = l.budget();
            boolean windowBudget = b.windowMicros() > 0 && b.window() != null;
            keys.add(l.limitsRequests() ? RedisRateLimiter.key(s, l.requestWindow(), now) : account);
            keys.add(l.limitsTokens() ? tokens(s, l.tokenWindow(), now) : account);
            keys.add(account);
            keys.add(RedisSpendLedger.holds(s));
            keys.add(windowBudget ? RedisSpendLedger.window(s, b.window(), now) : account);
            keys.add(leases(s));
            args.add(Long.toString(l.requests()));
            args.add(Long.toString(l.limitsRequests() ? ttl(l.requestWindow(), now, nowMs) : 0));
            args.add(Long.toString(l.tokens()));
            args.add(Long.toString(l.limitsTokens() ? ttl(l.tokenWindow(), now, nowMs) : 0));
            args.add(Long.toString(Math.max(0, b.totalMicros())));
            args.add(Long.toString(windowBudget ? b.windowMicros() : 0));
            args.add(Integer.toString(l.maxConcurrent()));
        }
        boolean holdsLeases = leases;
        return redis.eval(ADMIT, keys, args).compose(res -> {
            long status = res.get(0).toLong();
            if (status < 0) {
                return Future.failedFuture(new LimitStoreUnavailable(
                        "spend counters in Redis " + redis + " are not rebuilt from the database yet"));
            }
            List<LevelUsage> usage = new ArrayList<>(levels.size());
            for (int i = 0; i < levels.size(); i++) {
                usage.add(new LevelUsage(levels.get(i), res.get(3 + 2 * i).toLong(), res.get(4 + 2 * i).toLong()));
            }
            if (status == 0) {
                LevelLimits refusing = levels.get(res.get(1).toInteger() - 1);
                return Future.succeededFuture(Refusal.ofCode(res.get(2).toLong()).refused(refusing, now, usage));
            }
            if (holdsLeases) {
                List<String> sets = new ArrayList<>(levels.size());
                for (LevelLimits l : levels) if (l.limitsConcurrency()) sets.add(leases(l.scope()));
                live.put(leaseId, new Live(sets, clock.millis()));
            }
            return Future.succeededFuture(new Admission.Admitted(new Ticket(request, leaseId, true), usage));
        });
    }

    @Override
    public Future<Void> settle(Ticket ticket, Settlement settlement) {
        live.remove(ticket.leaseId());
        AdmissionRequest request = ticket.request();
        List<LevelLimits> levels = request.levels();
        if (levels.isEmpty()) return Future.succeededFuture();
        Instant at = request.now();
        long nowMs = clock.millis();
        List<String> keys = new ArrayList<>(SETTLE_KEYS_PER_LEVEL * levels.size());
        List<String> args = new ArrayList<>(9 + WINDOWS.length + SETTLE_ARGS_PER_LEVEL * levels.size());
        boolean counted = ticket.counted();
        args.add(ticket.leaseId());
        args.add(counted && request.costMicros() > 0 ? ticket.leaseId() + '|' + request.costMicros() : "");
        args.add(Long.toString(request.costMicros()));
        args.add(Long.toString(Math.max(0, settlement.costMicros())));
        args.add(Long.toString(request.tokens()));
        args.add(Long.toString(Math.max(-1, settlement.tokens())));
        args.add(settlement.countsAsRequest() ? "1" : "0");
        args.add(counted ? "1" : "0");
        args.add(Integer.toString(levels.size()));
        for (Window w : WINDOWS) args.add(Long.toString(Math.max(0, w.end(at) - at.toEpochMilli()) + graceMillis));
        for (LevelLimits l : levels) {
            String s = l.scope();
            String account = RedisSpendLedger.account(s);
            keys.add(l.limitsRequests() ? RedisRateLimiter.key(s, l.requestWindow(), at) : account);
            keys.add(l.limitsTokens() ? tokens(s, l.tokenWindow(), at) : account);
            keys.add(account);
            keys.add(RedisSpendLedger.holds(s));
            keys.add(leases(s));
            for (Window w : WINDOWS) keys.add(RedisSpendLedger.window(s, w, at));
            args.add(l.limitsRequests() ? "1" : "0");
            args.add(l.limitsTokens() ? "1" : "0");
            args.add(l.limitsSpend() ? "1" : "0");
            args.add(l.limitsConcurrency() ? "1" : "0");
            args.add(Long.toString(l.limitsTokens() ? Math.max(1, l.tokenWindow().end(at) - nowMs + graceMillis) : 1));
        }
        return redis.eval(SETTLE, keys, args).mapEmpty();
    }

    @Override
    public Future<LevelSnapshot> snapshot(LevelLimits l, Instant now) {
        String s = l.scope();
        String account = RedisSpendLedger.account(s);
        BudgetLimits b = l.budget();
        boolean windowBudget = b.windowMicros() > 0 && b.window() != null;
        List<String> keys = List.of(
                l.limitsRequests() ? RedisRateLimiter.key(s, l.requestWindow(), now) : account,
                l.limitsTokens() ? tokens(s, l.tokenWindow(), now) : account,
                account,
                windowBudget ? RedisSpendLedger.window(s, b.window(), now) : account,
                leases(s));
        List<String> args = List.of(flag(l.limitsRequests()), flag(l.limitsTokens()), flag(l.limitsSpend()),
                flag(windowBudget), flag(l.limitsConcurrency()), Long.toString(now.toEpochMilli()));
        return redis.eval(SNAPSHOT, keys, args).map(r -> new LevelSnapshot(
                r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong(), r.get(4).toLong()));
    }

    /** One renewal round: every live lease of this instance, in one call; tickets older than the hold time are dropped. */
    private void renew() {
        if (live.isEmpty() || !renewing.compareAndSet(false, true)) return;
        long nowMs = clock.millis();
        Map<String, Integer> index = new HashMap<>();
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        args.add(Long.toString(nowMs + leaseMillis));
        args.add(Long.toString(2 * leaseMillis + graceMillis));
        live.forEach((leaseId, l) -> {
            if (nowMs - l.admittedAtMillis() > holdTtlMillis) { // never settled: let its slots lapse
                live.remove(leaseId);
                return;
            }
            for (String set : l.leaseSets()) {
                Integer i = index.computeIfAbsent(set, k -> {
                    keys.add(k);
                    return keys.size();
                });
                args.add(Integer.toString(i));
                args.add(leaseId);
            }
        });
        if (keys.isEmpty()) {
            renewing.set(false);
            return;
        }
        redis.eval(RENEW, keys, args).onComplete(ar -> {
            renewing.set(false);
            if (ar.failed()) {
                LOG.debug("cannot renew {} concurrency leases: {}", live.size(), ar.cause().getMessage());
                return;
            }
            // a lease that is gone in every set is no longer this instance's to renew
            for (Response gone : ar.result()) live.remove(gone.toString());
        });
    }

    /** Requests in flight on this instance that hold concurrency leases (tests, metrics). */
    public int liveLeases() {
        return live.size();
    }

    /** Stops renewing leases: those still held lapse after the lease time. */
    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }

    private long ttl(Window w, Instant now, long nowMs) {
        return Math.max(0, w.end(now) - nowMs) + graceMillis;
    }

    private static String flag(boolean b) {
        return b ? "1" : "0";
    }

    static String tokens(String scope, Window w, Instant at) {
        return TOKENS_PREFIX + scope + ':' + w.unit() + ':' + w.start(at);
    }

    static String leases(String scope) {
        return CONCURRENCY_PREFIX + scope;
    }
}
