package io.bricksllm.route.balance;

import io.bricksllm.limits.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * In-flight counts shared through Redis, the way {@code RedisLimitLedger} shares concurrency slots: each attempt holds
 * a lease, a member {@code <target>|<instance>|<seq>} of the group's sorted set scored by its expiry, renewed by one
 * periodic call every lease/3 while the attempt runs and removed when it ends. An instance that dies stops renewing
 * and its attempts lapse after the lease time, so they do not keep steering traffic away forever.
 *
 * <p>Picks never wait on Redis: every {@link #REFRESH_MS} one script per group (of the groups this instance used)
 * drops lapsed leases and counts the other instances' per target into a local view, which {@link #elsewhere} reads.
 * Redis down: the view counts as empty, so least-busy goes by this instance's own counts.
 */
public final class RedisSharedLoad implements SharedLoad {
    static final long REFRESH_MS = 250;
    private static final String PREFIX = "bricks:busy:";

    /** KEYS[1] the group's leases · ARGV[1] now ms · [2] this instance · [3] targets → other instances' leases per target. */
    private static final String COUNT = """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            local counts = {}
            for i = 1, tonumber(ARGV[3]) do counts[i] = 0 end
            for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local idx, inst = string.match(m, '^(%d+)|([^|]+)|')
              if idx and inst ~= ARGV[2] then
                local k = tonumber(idx) + 1
                if counts[k] then counts[k] = counts[k] + 1 end
              end
            end
            return counts
            """;
    /** KEYS[1] the group's leases · ARGV[1] expiry · [2] member · [3] ttl of the set: one round trip per attempt. */
    private static final String ADD = """
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """;
    /** KEYS: groups · ARGV[1] expiry · [2] ttl of the sets · then pairs (index in KEYS, member); only leases still held. */
    private static final String RENEW = """
            for j = 3, #ARGV, 2 do
              redis.call('ZADD', KEYS[tonumber(ARGV[j])], 'XX', ARGV[1], ARGV[j + 1])
            end
            for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
            return 1
            """;

    /** One attempt's lease; {@code added} completes when its ZADD was answered, so its ZREM cannot overtake it. */
    private record Lease(String member, Future<?> added) {}

    private static final class Group {
        final String key;
        final Map<Integer, Deque<Lease>> leases = new ConcurrentHashMap<>();
        volatile int[] elsewhere = new int[0];
        volatile int targets;

        Group(String key) {
            this.key = key;
        }
    }

    private final Vertx vertx;
    private final RedisConnector redis;
    private final LongSupplier clock;
    private final long leaseMillis;
    private final String instance = Long.toHexString(new SecureRandom().nextLong());
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final long refreshTimer;
    private final long renewTimer;

    public RedisSharedLoad(Vertx vertx, RedisConnector redis, Duration lease, LongSupplier clock) {
        this.vertx = vertx;
        this.redis = redis;
        this.clock = clock;
        this.leaseMillis = Math.max(3, lease.toMillis());
        this.refreshTimer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
        this.renewTimer = vertx.setPeriodic(Math.max(1, leaseMillis / 3), id -> renew());
    }

    /** Stops renewing: this instance's leases lapse after the lease time, as if it had died. */
    public void close() {
        vertx.cancelTimer(refreshTimer);
        vertx.cancelTimer(renewTimer);
    }

    @Override
    public void started(String group, int index) {
        Group g = group(group);
        String member = index + "|" + instance + "|" + Long.toString(seq.incrementAndGet(), 36);
        Future<Response> added = redis.send(Request.cmd(Command.EVAL).arg(ADD).arg(1).arg(g.key)
                .arg(clock.getAsLong() + leaseMillis).arg(member).arg(2 * leaseMillis));
        g.leases.computeIfAbsent(index, k -> new ConcurrentLinkedDeque<>()).addLast(new Lease(member, added));
    }

    @Override
    public void ended(String group, int index) {
        Group g = groups.get(group);
        Deque<Lease> q = g == null ? null : g.leases.get(index);
        Lease l = q == null ? null : q.pollFirst(); // any lease of this instance at the target: only counts matter
        if (l == null) return;
        // after the ZADD was answered (or failed): a ZREM sent on another pooled connection could overtake it
        l.added().onComplete(ar -> redis.send(Request.cmd(Command.ZREM).arg(g.key).arg(l.member())));
    }

    @Override
    public int elsewhere(String group, int index, int targets) {
        Group g = group(group);
        g.targets = Math.max(g.targets, targets);
        if (redis.down()) return 0;
        int[] seen = g.elsewhere;
        return index < seen.length ? seen[index] : 0;
    }

    /** This instance's leases not yet ended (tests). */
    public int live() {
        int n = 0;
        for (Group g : groups.values()) for (Deque<Lease> q : g.leases.values()) n += q.size();
        return n;
    }

    private Group group(String name) {
        return groups.computeIfAbsent(name, k -> new Group(PREFIX + "{" + k + "}"));
    }

    private void refresh() {
        if (redis.down()) return;
        long now = clock.getAsLong();
        groups.values().forEach(g -> {
            int n = g.targets;
            if (n == 0) return;
            redis.send(Request.cmd(Command.EVAL).arg(COUNT).arg(1).arg(g.key).arg(now).arg(instance).arg(n)).onSuccess(r -> {
                int[] counts = new int[r.size()];
                for (int i = 0; i < counts.length; i++) counts[i] = r.get(i).toInteger();
                g.elsewhere = counts;
            });
        });
    }

    /** One call renews every lease of this instance (groups of one hash slot each: a cluster would need one call per group). */
    private void renew() {
        if (!renewing.compareAndSet(false, true)) return;
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        groups.values().forEach(g -> {
            int k = -1;
            for (Deque<Lease> q : g.leases.values()) {
                for (Lease l : q) {
                    if (k < 0) {
                        keys.add(g.key);
                        k = keys.size();
                    }
                    args.add(Integer.toString(k));
                    args.add(l.member());
                }
            }
        });
        if (keys.isEmpty()) {
            renewing.set(false);
            return;
        }
        Request req = Request.cmd(Command.EVAL).arg(RENEW).arg(keys.size());
        keys.forEach(req::arg);
        req.arg(clock.getAsLong() + leaseMillis).arg(2 * leaseMillis);
        args.forEach(req::arg);
        redis.send(req).onComplete(ar -> renewing.set(false));
    }
}
