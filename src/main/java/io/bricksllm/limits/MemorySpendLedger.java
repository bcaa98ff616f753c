package io.bricksllm.limits;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process {@link SpendLedger} for the embedded mode; seeded from recorded events at start-up. Like
 * {@link RedisSpendLedger}, every reservation expires after {@code holdTtl} (longer than any request may last):
 * a reservation that was never settled — a bug, a lost callback — stops holding budget then, instead of
 * until the next restart. A settle that arrives after its reservation expired still adds its cost.
 */
public final class MemorySpendLedger implements SpendLedger {
    /** As {@link RedisSpendLedger}'s default. */
    public static final Duration DEFAULT_HOLD_TTL = Duration.ofMinutes(15);

    /** Spend of one scope; every method runs under the object's lock ({@link MemoryLimitLedger} takes it too). */
    static final class Account {
        long total;
        long reserved;
        final Map<Window, long[]> windows = new EnumMap<>(Window.class); // window → {start, spent}
        /** Outstanding reservations (by identity: two may be equal as values) → expiry, epoch ms. */
        final Map<Reservation, Long> holds = new IdentityHashMap<>();
        /** Hold count that makes the next reservation look for expired holds; doubles past the live ones (amortised). */
        int purgeAt = PURGE_AT_HOLDS;

        /** Forgets reservations whose expiry has passed at {@code now}; true when any was. */
        boolean purgeExpired(Instant now) {
            if (holds.isEmpty()) return false;
            long nowMs = now.toEpochMilli();
            boolean purged = false;
            var it = holds.entrySet().iterator();
            while (it.hasNext()) {
                var h = it.next();
                if (h.getValue() <= nowMs) {
                    reserved = Math.max(0, reserved - h.getKey().micros());
                    it.remove();
                    purged = true;
                }
            }
            return purged;
        }

        boolean admits(long estimateMicros, BudgetLimits limits, Instant now) {
            if (!fits(total, reserved, estimateMicros, limits.totalMicros())) return false;
            return limits.windowMicros() <= 0 || fits(windowSpent(limits.window(), now), reserved, estimateMicros, limits.windowMicros());
        }

        long windowSpent(Window w, Instant now) {
            long[] s = windows.get(w);
            return s == null || s[0] != w.start(now) ? 0 : s[1];
        }

        void add(long micros, Instant at) {
            total += micros;
            for (Window w : Window.values()) {
                long start = w.start(at);
                long[] s = windows.get(w);
                if (s == null || s[0] != start) {
                    // spend recorded for an earlier window than the current one is stale; keep the newest
                    if (s != null && s[0] > start) continue;
                    windows.put(w, new long[] {start, micros});
                } else {
                    s[1] += micros;
                }
            }
        }
    }

    /** Outstanding holds of one scope at which a reservation also looks for expired ones. */
    static final int PURGE_AT_HOLDS = 4_096;

    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final long holdTtlMillis;

    public MemorySpendLedger() {
        this(DEFAULT_HOLD_TTL);
    }

    /** @param holdTtl how long a reservation holds budget at most (longer than any request may last) */
    public MemorySpendLedger(Duration holdTtl) {
        this.holdTtlMillis = holdTtl.toMillis();
    }

    /** The account of {@code scope}; {@link MemoryLimitLedger} locks it while it decides and holds. */
    Account account(String scope) {
        return accounts.computeIfAbsent(scope, s -> new Account());
    }

    /** How long a reservation holds budget at most. */
    long holdTtlMillis() {
        return holdTtlMillis;
    }

    @Override
    public Future<Optional<Reservation>> reserve(String scope, long estimateMicros, BudgetLimits limits, Instant now) {
        Account a = account(scope);
        synchronized (a) {
            if (refusal(a, estimateMicros, limits, now) != null) return Future.succeededFuture(Optional.empty());
            return Future.succeededFuture(Optional.of(hold(a, scope, estimateMicros, now)));
        }
    }

    /** Under {@code a}'s lock: why {@code limits} refuse {@code estimateMicros} now, or null when they admit it. */
    static Refusal refusal(Account a, long estimateMicros, BudgetLimits limits, Instant now) {
        // Expired holds only matter when they would refuse this request, so they are looked for then (a walk over
        // every hold on each reservation was ~3 % of the gateway's CPU at 64 requests in flight), and when
        // unsettled holds pile up (a leak must not grow without bound while budgets still fit).
        if (a.holds.size() >= a.purgeAt) {
            a.purgeExpired(now);
            a.purgeAt = Math.max(PURGE_AT_HOLDS, 2 * a.holds.size());
        }
        if (a.admits(estimateMicros, limits, now) || (a.purgeExpired(now) && a.admits(estimateMicros, limits, now))) return null;
        if (limits.totalMicros() > 0 && a.total >= limits.totalMicros()) return Refusal.BUDGET_TOTAL;
        if (limits.windowMicros() > 0 && a.windowSpent(limits.window(), now) >= limits.windowMicros()) return Refusal.BUDGET_WINDOW;
        return Refusal.BUDGET_IN_FLIGHT;
    }

    /** Under {@code a}'s lock: sets {@code estimateMicros} aside until settled or expired. */
    Reservation hold(Account a, String scope, long estimateMicros, Instant now) {
        a.reserved += estimateMicros;
        Reservation r = new Reservation(scope, estimateMicros, now);
        a.holds.put(r, now.toEpochMilli() + holdTtlMillis);
        return r;
    }

    /** Below the limit, and — when others hold reservations — this one fits as well. */
    static boolean fits(long spent, long reserved, long estimate, long limit) {
        if (limit <= 0) return true;
        if (spent + reserved >= limit) return false;
        return reserved == 0 || spent + reserved + estimate <= limit;
    }

    @Override
    public Future<Void> settle(Reservation r, long actualMicros) {
        Account a = account(r.scope());
        synchronized (a) {
            // an expired reservation was already taken off what is reserved: not twice
            if (a.holds.remove(r) != null) a.reserved = Math.max(0, a.reserved - r.micros());
            if (actualMicros > 0) a.add(actualMicros, r.at());
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> record(String scope, long micros, Instant at) {
        Account a = account(scope);
        synchronized (a) {
            a.add(micros, at);
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> seed(String scope, long totalMicros, Map<Window, Long> currentWindowMicros, Instant now) {
        Account a = account(scope);
        synchronized (a) {
            a.total = totalMicros;
            a.windows.clear();
            currentWindowMicros.forEach((w, micros) -> a.windows.put(w, new long[] {w.start(now), micros}));
        }
        return Future.succeededFuture();
    }

    /** Outstanding reservations of {@code scope} (tests: leaked holds must not pile up). */
    int holds(String scope) {
        Account a = accounts.get(scope);
        if (a == null) return 0;
        synchronized (a) {
            return a.holds.size();
        }
    }

    @Override
    public Future<Long> totalSpent(String scope) {
        Account a = accounts.get(scope);
        if (a == null) return Future.succeededFuture(0L);
        synchronized (a) {
            return Future.succeededFuture(a.total);
        }
    }

    @Override
    public Future<Long> windowSpent(String scope, Window window, Instant now) {
        Account a = accounts.get(scope);
        if (a == null) return Future.succeededFuture(0L);
        synchronized (a) {
            return Future.succeededFuture(a.windowSpent(window, now));
        }
    }
}
