package io.bricksllm.limits;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-process {@link LimitLedger} for the embedded mode: every admission is one critical section (the ledger's lock,
 * and inside it the spend accounts of the levels with a budget, taken in level order), so a refusal at one level takes
 * nothing at the others.
 *
 * <p>Spend is the {@link MemorySpendLedger}'s own accounts: seeding goes through it, and its {@code totalSpent} and
 * {@code windowSpent} see what this ledger settles. Requests, tokens and concurrency slots are counted here, per
 * scope; windows start from zero once they have passed, and a scope's counters are dropped once its windows passed
 * and nothing is in flight (looked for when their number has doubled, so the cost is amortised).
 *
 * <p>Concurrency slots are released on settle. No lease is needed while the process lives, but a ticket never settled
 * (a bug, a lost callback) must not hold its slot forever: a slot is given up {@code slotTtl} after admission, which is
 * longer than any request may last (a lease time would free the slot of every stream longer than it).
 */
public final class MemoryLimitLedger implements LimitLedger {
    /** Counters of one scope; guarded by the ledger's lock. */
    private static final class Counters {
        Window requestWindow;
        long requestStart;
        long requestEnd;
        long requests;
        Window tokenWindow;
        long tokenStart;
        long tokenEnd;
        long tokensUsed;
        long tokensHeld;
        /** Concurrency slots: lease id → expiry, epoch ms; null until the scope first limits concurrency. */
        Map<String, Long> slots;

        long requests(Window w, Instant now) {
            return w == requestWindow && requestStart == w.start(now) ? requests : 0;
        }

        long tokensUsed(Window w, Instant now) {
            return w == tokenWindow && tokenStart == w.start(now) ? tokensUsed : 0;
        }

        long tokensHeld(Window w, Instant now) {
            return w == tokenWindow && tokenStart == w.start(now) ? tokensHeld : 0;
        }

        void rollRequests(Window w, Instant now) {
            long start = w.start(now);
            if (w == requestWindow && start == requestStart) return;
            requestWindow = w;
            requestStart = start;
            requestEnd = w.end(now);
            requests = 0;
        }

        void rollTokens(Window w, Instant now) {
            long start = w.start(now);
            if (w == tokenWindow && start == tokenStart) return;
            tokenWindow = w;
            tokenStart = start;
            tokenEnd = w.end(now);
            tokensUsed = 0;
            tokensHeld = 0;
        }

        int inFlight(long nowMs, boolean purge) {
            if (slots == null) return 0;
            if (!purge) {
                int n = 0;
                for (long expiry : slots.values()) if (expiry > nowMs) n++;
                return n;
            }
            slots.values().removeIf(expiry -> expiry <= nowMs);
            return slots.size();
        }

        /** Nothing left worth keeping at {@code nowMs}: windows passed, nothing in flight. */
        boolean idle(long nowMs) {
            return requestEnd <= nowMs && tokenEnd <= nowMs && inFlight(nowMs, true) == 0;
        }
    }

    /** What an admitted request holds until settled: its spend reservations per level (null where none). */
    private record Live(Reservation[] holds, long expiresAtMillis) {}

    private static final int SWEEP_AT = 4_096;

    private final MemorySpendLedger spend;
    private final long slotTtlMillis;
    private final Object lock = new Object();
    private final HashMap<String, Counters> counters = new HashMap<>();
    private final HashMap<String, Live> live = new HashMap<>();
    private final AtomicLong admissions = new AtomicLong();
    private int sweepCountersAt = SWEEP_AT;
    private int sweepLiveAt = SWEEP_AT;

    /** Slots of tickets never settled are given up after {@code spend}'s hold time (as their reservations are). */
    public MemoryLimitLedger(MemorySpendLedger spend) {
        this(spend, Duration.ofMillis(spend.holdTtlMillis()));
    }

    /** @param slotTtl how long an unsettled concurrency slot is held at most (longer than any request may last) */
    public MemoryLimitLedger(MemorySpendLedger spend, Duration slotTtl) {
        this.spend = spend;
        this.slotTtlMillis = slotTtl.toMillis();
    }

    @Override
    public Future<Admission> admit(AdmissionRequest request) {
        List<LevelLimits> levels = request.levels();
        int n = levels.size();
        Counters[] cs = new Counters[n];
        MemorySpendLedger.Account[] accounts = new MemorySpendLedger.Account[n];
        String leaseId = Long.toString(admissions.incrementAndGet(), 36);
        synchronized (lock) {
            long nowMs = request.now().toEpochMilli();
            sweep(nowMs);
            for (int i = 0; i < n; i++) cs[i] = counters.computeIfAbsent(levels.get(i).scope(), s -> new Counters());
            return Future.succeededFuture(lockAccounts(request, leaseId, cs, accounts, 0));
        }
    }

    /** Takes the spend accounts' locks in level order (the ledger's lock is held), then decides. */
    private Admission lockAccounts(AdmissionRequest request, String leaseId, Counters[] cs,
                                   MemorySpendLedger.Account[] accounts, int from) {
        List<LevelLimits> levels = request.levels();
        for (int i = from; i < levels.size(); i++) {
            if (!levels.get(i).limitsSpend()) continue;
            MemorySpendLedger.Account a = spend.account(levels.get(i).scope());
            accounts[i] = a;
            synchronized (a) {
                return lockAccounts(request, leaseId, cs, accounts, i + 1);
            }
        }
        return decide(request, leaseId, cs, accounts);
    }

    /** Checks every level, then — only when all admit — takes at every level. */
    private Admission decide(AdmissionRequest request, String leaseId, Counters[] cs, MemorySpendLedger.Account[] accounts) {
        List<LevelLimits> levels = request.levels();
        int n = levels.size();
        Instant now = request.now();
        long nowMs = now.toEpochMilli();
        long tokens = request.tokens();
        for (int i = 0; i < n; i++) {
            LevelLimits l = levels.get(i);
            Counters c = cs[i];
            Refusal r = null;
            if (l.limitsRequests() && c.requests(l.requestWindow(), now) >= l.requests()) {
                r = Refusal.REQUESTS;
            } else if (l.limitsTokens() && !tokensFit(c, l, tokens, now)) {
                r = Refusal.TOKENS;
            } else if (l.limitsSpend()) {
                r = MemorySpendLedger.refusal(accounts[i], request.costMicros(), l.budget(), now);
            }
            if (r == null && l.limitsConcurrency() && c.inFlight(nowMs, true) >= l.maxConcurrent()) r = Refusal.CONCURRENCY;
            if (r != null) return r.refused(l, now, usage(levels, cs, now));
        }
        Reservation[] holds = null;
        for (int i = 0; i < n; i++) {
            LevelLimits l = levels.get(i);
            Counters c = cs[i];
            if (l.limitsRequests()) {
                c.rollRequests(l.requestWindow(), now);
                c.requests++;
            }
            if (l.limitsTokens()) {
                c.rollTokens(l.tokenWindow(), now);
                c.tokensUsed += tokens;
                c.tokensHeld += tokens;
            }
            if (l.limitsSpend()) {
                if (holds == null) holds = new Reservation[n];
                holds[i] = spend.hold(accounts[i], l.scope(), request.costMicros(), now);
            }
            if (l.limitsConcurrency()) {
                if (c.slots == null) c.slots = new HashMap<>();
                c.slots.put(leaseId, nowMs + slotTtlMillis);
            }
        }
        if (holds != null) live.put(leaseId, new Live(holds, nowMs + slotTtlMillis));
        return new Admission.Admitted(new Ticket(request, leaseId, true), usage(levels, cs, now));
    }

    private static boolean tokensFit(Counters c, LevelLimits l, long tokens, Instant now) {
        long held = c.tokensHeld(l.tokenWindow(), now);
        return MemorySpendLedger.fits(c.tokensUsed(l.tokenWindow(), now) - held, held, tokens, l.tokens());
    }

    private static List<LevelUsage> usage(List<LevelLimits> levels, Counters[] cs, Instant now) {
        List<LevelUsage> out = new ArrayList<>(levels.size());
        for (int i = 0; i < levels.size(); i++) {
            LevelLimits l = levels.get(i);
            out.add(new LevelUsage(l,
                    l.limitsRequests() ? cs[i].requests(l.requestWindow(), now) : -1,
                    l.limitsTokens() ? cs[i].tokensUsed(l.tokenWindow(), now) : -1));
        }
        return out;
    }

    @Override
    public Future<Void> settle(Ticket ticket, Settlement settlement) {
        AdmissionRequest request = ticket.request();
        List<LevelLimits> levels = request.levels();
        Instant at = request.now();
        long actual = Math.max(0, settlement.costMicros());
        synchronized (lock) {
            Live held = ticket.counted() ? live.remove(ticket.leaseId()) : null;
            for (int i = 0; i < levels.size(); i++) {
                LevelLimits l = levels.get(i);
                Counters c = counters.get(l.scope());
                if (c != null) settleCounters(c, l, ticket, settlement, at);
                if (l.limitsSpend()) {
                    Reservation r = held == null ? null : held.holds()[i];
                    if (r != null) spend.settle(r, actual);
                    else if (actual > 0) spend.record(l.scope(), actual, at);
                }
            }
        }
        return Future.succeededFuture();
    }

    private static void settleCounters(Counters c, LevelLimits l, Ticket ticket, Settlement settlement, Instant at) {
        long reserved = ticket.request().tokens();
        if (!ticket.counted()) {
            // admitted without this ledger (its guard's policy): record what is known, release nothing
            if (l.limitsTokens() && settlement.tokens() > 0 && l.tokenWindow().start(at) >= c.tokenStart) {
                c.rollTokens(l.tokenWindow(), at);
                c.tokensUsed += settlement.tokens();
            }
            return;
        }
        if (l.limitsRequests() && !settlement.countsAsRequest() && c.requests(l.requestWindow(), at) > 0) c.requests--;
        if (l.limitsTokens() && l.tokenWindow() == c.tokenWindow && l.tokenWindow().start(at) == c.tokenStart) {
            c.tokensHeld = Math.max(0, c.tokensHeld - reserved);
            if (settlement.tokens() >= 0) c.tokensUsed = Math.max(0, c.tokensUsed + settlement.tokens() - reserved);
        }
        if (l.limitsConcurrency() && c.slots != null) c.slots.remove(ticket.leaseId());
    }

    @Override
    public Future<LevelSnapshot> snapshot(LevelLimits l, Instant now) {
        long requests;
        long tokens;
        long inFlight;
        synchronized (lock) {
            Counters c = counters.get(l.scope());
            requests = !l.limitsRequests() ? -1 : c == null ? 0 : c.requests(l.requestWindow(), now);
            tokens = !l.limitsTokens() ? -1 : c == null ? 0 : c.tokensUsed(l.tokenWindow(), now);
            inFlight = !l.limitsConcurrency() ? -1 : c == null ? 0 : c.inFlight(now.toEpochMilli(), false);
        }
        BudgetLimits b = l.budget();
        long total = l.limitsSpend() ? spend.totalSpent(l.scope()).result() : -1;
        long window = b.windowMicros() > 0 && b.window() != null ? spend.windowSpent(l.scope(), b.window(), now).result() : -1;
        return Future.succeededFuture(new LevelSnapshot(requests, tokens, total, window, inFlight));
    }

    /** Drops idle scopes and tickets never settled, once each map has doubled since it was last swept. */
    private void sweep(long nowMs) {
        if (counters.size() >= sweepCountersAt) {
            counters.values().removeIf(c -> c.idle(nowMs));
            sweepCountersAt = Math.max(SWEEP_AT, 2 * counters.size());
        }
        if (live.size() >= sweepLiveAt) {
            live.values().removeIf(l -> l.expiresAtMillis() <= nowMs);
            sweepLiveAt = Math.max(SWEEP_AT, 2 * live.size());
        }
    }

    /** Scopes whose counters are held (tests: idle scopes must not pile up). */
    int scopes() {
        synchronized (lock) {
            return counters.size();
        }
    }
}
