package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link LimitLedger} shares, whatever holds its counters. Time is injected where it can be. */
abstract class LimitLedgerContract {
    /** 10:15:30.250 UTC: 29.75 s before the minute ends. */
    static final Instant T0 = Instant.parse("2031-05-17T10:15:30.250Z");

    /** {@code n} handles on one shared store, as {@code n} gateway processes would have. */
    protected abstract List<LimitLedger> gateways(int n);

    /** The spend ledger sharing the store's spend counters (seeding, reads). */
    protected abstract SpendLedger spendLedger();

    // ---- levels and requests

    static String id() {
        return UUID.randomUUID().toString();
    }

    static LevelLimits limits(Level level, String scope, long requests, long tokens, BudgetLimits budget, int maxConcurrent) {
        return new LevelLimits(level, scope, scope, requests, requests > 0 ? Window.MINUTE : null, tokens,
                tokens > 0 ? Window.MINUTE : null, budget, maxConcurrent);
    }

    static LevelLimits requests(Level level, String scope, long n) {
        return limits(level, scope, n, 0, null, 0);
    }

    static LevelLimits tokens(Level level, String scope, long n) {
        return limits(level, scope, 0, n, null, 0);
    }

    static LevelLimits budget(Level level, String scope, BudgetLimits b) {
        return limits(level, scope, 0, 0, b, 0);
    }

    static LevelLimits concurrency(Level level, String scope, int max) {
        return limits(level, scope, 0, 0, null, max);
    }

    static BudgetLimits total(long micros) {
        return new BudgetLimits(micros, 0, null);
    }

    static BudgetLimits perDay(long micros) {
        return new BudgetLimits(0, micros, Window.DAY);
    }

    static AdmissionRequest request(Instant now, long cost, long tokens, LevelLimits... levels) {
        return new AdmissionRequest(List.of(levels), cost, tokens, now);
    }

    static Admission.Admitted admitted(LimitLedger l, AdmissionRequest r) {
        Admission a = await(l.admit(r));
        assertThat(a).as("admission").isInstanceOf(Admission.Admitted.class);
        return (Admission.Admitted) a;
    }

    static Admission.Refused refused(LimitLedger l, AdmissionRequest r) {
        Admission a = await(l.admit(r));
        assertThat(a).as("admission").isInstanceOf(Admission.Refused.class);
        return (Admission.Refused) a;
    }

    static LevelSnapshot snap(LimitLedger l, LevelLimits level, Instant now) {
        return await(l.snapshot(level, now));
    }

    static Settlement settlement(long cost, long tokens) {
        return new Settlement(cost, tokens, true);
    }

    // ---- the contract

    @Test
    void aRefusalAtOneLevelTakesNothingAtTheOthers() {
        LimitLedger l = gateways(1).get(0);
        LevelLimits team = limits(Level.TEAM, Scopes.team(id()), 10, 1_000, total(1_000), 5);
        LevelLimits key = limits(Level.KEY, Scopes.key(id()), 10, 1_000, total(1_000), 5);
        LevelLimits user = limits(Level.USER, Scopes.user(id()), 1, 1_000, total(1_000), 5);
        Admission.Admitted first = admitted(l, request(T0, 100, 100, team, key, user));
        assertThat(first.usage()).extracting(LevelUsage::requestsUsed).containsExactly(1L, 1L, 1L);
        assertThat(first.usage()).extracting(LevelUsage::tokensUsed).containsExactly(100L, 100L, 100L);

        LevelSnapshot teamBefore = snap(l, team, T0);
        LevelSnapshot keyBefore = snap(l, key, T0);
        LevelSnapshot userBefore = snap(l, user, T0);
        assertThat(teamBefore).isEqualTo(new LevelSnapshot(1, 100, 0, -1, 1));

        Admission.Refused r = refused(l, request(T0, 100, 100, team, key, user));
        assertThat(r.level()).isEqualTo(Level.USER);
        assertThat(r.kind()).isEqualTo(LimitKind.REQUESTS);
        assertThat(r.usage()).as("counts without this request").extracting(LevelUsage::requestsUsed).containsExactly(1L, 1L, 1L);
        assertThat(snap(l, team, T0)).isEqualTo(teamBefore);
        assertThat(snap(l, key, T0)).isEqualTo(keyBefore);
        assertThat(snap(l, user, T0)).isEqualTo(userBefore);

        // the first refusing level in the order team, key, user is named
        LevelLimits fullTeam = concurrency(Level.TEAM, team.scope(), 1);
        Admission.Refused both = refused(l, request(T0, 100, 100, fullTeam, key, user));
        assertThat(both.level()).isEqualTo(Level.TEAM);
        assertThat(both.kind()).isEqualTo(LimitKind.CONCURRENCY);
        assertThat(both.retryAfterSeconds()).isEqualTo(1);
        assertThat(snap(l, key, T0)).isEqualTo(keyBefore);

        await(l.settle(first.ticket(), settlement(30, 50)));
        assertThat(snap(l, team, T0)).isEqualTo(new LevelSnapshot(1, 50, 30, -1, 0));
        assertThat(snap(l, user, T0)).isEqualTo(new LevelSnapshot(1, 50, 30, -1, 0));
    }

    @Test
    void threeHundredConcurrentAdmissionsOverThreeKeysOfATeamAdmitExactlyTheTeamsHundred() throws Exception {
        List<LimitLedger> gateways = gateways(3);
        LevelLimits team = requests(Level.TEAM, Scopes.team(id()), 100);
        List<LevelLimits> keys = List.of(requests(Level.KEY, Scopes.key(id()), 1_000),
                requests(Level.KEY, Scopes.key(id()), 1_000), requests(Level.KEY, Scopes.key(id()), 1_000));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<List<Future<Admission>>>> fired = new ArrayList<>();
            for (int g = 0; g < 3; g++) {
                LimitLedger gateway = gateways.get(g);
                LevelLimits key = keys.get(g);
                fired.add(threads.submit(() -> {
                    go.await();
                    List<Future<Admission>> calls = new ArrayList<>();
                    for (int i = 0; i < 100; i++) calls.add(gateway.admit(request(T0.plusMillis(i), 0, 0, team, key)));
                    return calls;
                }));
            }
            go.countDown();
            int admitted = 0;
            for (var f : fired) for (Future<Admission> call : f.get()) if (await(call) instanceof Admission.Admitted) admitted++;
            assertThat(admitted).isEqualTo(100);
            assertThat(snap(gateways.get(0), team, T0).requestsUsed()).isEqualTo(100);
            long byKeys = 0;
            for (LevelLimits key : keys) byKeys += snap(gateways.get(1), key, T0).requestsUsed();
            assertThat(byKeys).as("refused at the team, nothing taken at the key").isEqualTo(100);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void tokensAreReservedAtAdmissionAndSettledToTheRealUsage() {
        LimitLedger l = gateways(1).get(0);
        LevelLimits key = tokens(Level.KEY, Scopes.key(id()), 1_000);
        Admission.Admitted a = admitted(l, request(T0, 0, 600, key));
        assertThat(a.usage().get(0).tokensUsed()).isEqualTo(600);
        assertThat(a.usage().get(0).requestsUsed()).as("requests not limited").isEqualTo(-1);
        Admission.Refused r = refused(l, request(T0, 0, 500, key));
        assertThat(r.kind()).as("600 held + 500 > 1000").isEqualTo(LimitKind.TOKENS);
        assertThat(r.retryAfterSeconds()).as("to the minute's end").isEqualTo(30);
        Admission.Admitted b = admitted(l, request(T0, 0, 400, key));
        assertThat(b.usage().get(0).tokensUsed()).isEqualTo(1_000);
        assertThat(refused(l, request(T0, 0, 0, key)).kind()).isEqualTo(LimitKind.TOKENS);

        await(l.settle(a.ticket(), settlement(0, 100)));
        assertThat(snap(l, key, T0).tokensUsed()).isEqualTo(500);
        await(l.settle(b.ticket(), settlement(0, -1)));
        assertThat(snap(l, key, T0).tokensUsed()).as("-1: the reservation stands as used").isEqualTo(500);
        Admission.Admitted alone = admitted(l, request(T0, 0, 10_000, key));
        assertThat(alone.usage().get(0).tokensUsed()).as("alone, below the limit: admitted").isEqualTo(10_500);
        assertThat(refused(l, request(T0, 0, 1, key)).kind()).isEqualTo(LimitKind.TOKENS);
        await(l.settle(alone.ticket(), settlement(0, 200)));
        assertThat(snap(l, key, T0).tokensUsed()).isEqualTo(700);
        assertThat(admitted(l, request(T0.plusSeconds(30), 0, 999, key)).usage().get(0).tokensUsed())
                .as("a new window").isEqualTo(999);
    }

    @Test
    void budgetsRefuseOnceTheTotalOrTheWindowIsSpentAndWhileReservationsFillThem() {
        LimitLedger l = gateways(1).get(0);
        LevelLimits team = budget(Level.TEAM, Scopes.team(id()), total(100));
        Admission.Admitted a = admitted(l, request(T0, 60, 0, team));
        Admission.Refused inFlight = refused(l, request(T0, 50, 0, team));
        assertThat(inFlight.kind()).isEqualTo(LimitKind.BUDGET);
        assertThat(inFlight.retryAfterSeconds()).as("reservations in flight").isEqualTo(1);
        await(l.settle(a.ticket(), settlement(100, 0)));
        Admission.Refused spent = refused(l, request(T0, 1, 0, team));
        assertThat(spent.retryAfterSeconds()).as("the total is spent: waiting cannot help").isZero();
        assertThat(snap(l, team, T0).totalSpentMicros()).isEqualTo(100);

        LevelLimits key = budget(Level.KEY, Scopes.key(id()), perDay(50));
        await(l.settle(admitted(l, request(T0, 10, 0, key)).ticket(), settlement(50, 0)));
        Admission.Refused window = refused(l, request(T0, 1, 0, key));
        assertThat(window.level()).isEqualTo(Level.KEY);
        assertThat(window.retryAfterSeconds()).as("to the day's end").isEqualTo(Refusal.untilEnd(Window.DAY, T0));
        assertThat(snap(l, key, T0)).isEqualTo(new LevelSnapshot(-1, -1, 50, 50, -1));
        admitted(l, request(T0.plus(java.time.Duration.ofDays(1)), 1, 0, key));
    }

    @Test
    void budgetAdmissionFollowsMemorySpendLedgersFitsRule() {
        LimitLedger l = gateways(1).get(0);
        SpendLedger spend = spendLedger();
        int checked = 0;
        for (long spent : new long[] {0, 50, 99, 100, 150}) {
            for (long reserved : new long[] {0, 30}) {
                for (long estimate : new long[] {0, 1, 20, 70}) {
                    for (boolean windowed : new boolean[] {false, true}) {
                        String s = Scopes.key(id());
                        if (spent > 0) await(spend.record(s, spent, T0));
                        if (reserved > 0) admitted(l, request(T0, reserved, 0, budget(Level.KEY, s, total(1_000_000))));
                        LevelLimits level = budget(Level.KEY, s, windowed ? perDay(100) : total(100));
                        boolean expected = MemorySpendLedger.fits(spent, reserved, estimate, 100);
                        assertThat(await(l.admit(request(T0, estimate, 0, level))) instanceof Admission.Admitted)
                                .as("spent %d, reserved %d, estimate %d, windowed %s", spent, reserved, estimate, windowed)
                                .isEqualTo(expected);
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(80);
    }

    @Test
    void concurrentRequestsNeverExceedTheMaximumAndSettlingReleasesTheirSlots() throws Exception {
        List<LimitLedger> gateways = gateways(3);
        LevelLimits key = concurrency(Level.KEY, Scopes.key(id()), 5);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger admissions = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                LimitLedger gateway = gateways.get(t % 3);
                done.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 25; i++) {
                        if (await(gateway.admit(request(T0, 0, 0, key))) instanceof Admission.Admitted a) {
                            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            admissions.incrementAndGet();
                            inFlight.decrementAndGet();
                            await(gateway.settle(a.ticket(), settlement(0, 0)));
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (var f : done) f.get();
        } finally {
            threads.shutdownNow();
        }
        assertThat(most.get()).as("most in flight at once").isBetween(1, 5);
        assertThat(admissions.get()).isGreaterThanOrEqualTo(5);
        assertThat(snap(gateways.get(0), key, T0).inFlight()).as("every slot released").isZero();

        List<Ticket> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) held.add(admitted(gateways.get(i % 3), request(T0, 0, 0, key)).ticket());
        Admission.Refused full = refused(gateways.get(1), request(T0, 0, 0, key));
        assertThat(full.kind()).isEqualTo(LimitKind.CONCURRENCY);
        assertThat(full.retryAfterSeconds()).isEqualTo(1);
        assertThat(snap(gateways.get(2), key, T0).inFlight()).isEqualTo(5);
        await(gateways.get(0).settle(held.get(3), new Settlement(0, 0, false)));
        admitted(gateways.get(2), request(T0, 0, 0, key));
    }

    @Test
    void aRequestThatDoesNotCountGivesItsRequestSlotBack() {
        LimitLedger l = gateways(1).get(0);
        LevelLimits key = requests(Level.KEY, Scopes.key(id()), 2);
        LevelLimits team = requests(Level.TEAM, Scopes.team(id()), 2);
        Admission.Admitted a = admitted(l, request(T0, 0, 0, team, key));
        await(l.settle(a.ticket(), new Settlement(0, 0, false)));
        assertThat(snap(l, key, T0).requestsUsed()).isZero();
        assertThat(snap(l, team, T0).requestsUsed()).isZero();
        await(l.settle(admitted(l, request(T0, 0, 0, team, key)).ticket(), settlement(0, 0)));
        Admission.Admitted second = admitted(l, request(T0, 0, 0, team, key));
        assertThat(second.usage()).extracting(LevelUsage::requestsUsed).containsExactly(2L, 2L);
        Admission.Refused r = refused(l, request(T0, 0, 0, team, key));
        assertThat(r.level()).isEqualTo(Level.TEAM);
        assertThat(r.retryAfterSeconds()).as("10:15:30.250 → 10:16:00").isEqualTo(30);
        assertThat(refused(l, request(T0.plusMillis(29_001), 0, 0, team, key)).retryAfterSeconds())
                .as("rounded up, at least 1").isEqualTo(1);
    }

    @Test
    void spendSettledThroughTheLedgerIsTheSpendLedgersAndSeedingIsSeenByAdmission() {
        LimitLedger l = gateways(1).get(0);
        SpendLedger spend = spendLedger();
        String s = Scopes.key(id());
        LevelLimits key = budget(Level.KEY, s, new BudgetLimits(1_000, 500, Window.DAY));
        await(l.settle(admitted(l, request(T0, 20, 0, key)).ticket(), settlement(70, 0)));
        assertThat(await(spend.totalSpent(s))).isEqualTo(70);
        assertThat(await(spend.windowSpent(s, Window.DAY, T0))).isEqualTo(70);
        assertThat(await(spend.windowSpent(s, Window.MINUTE, T0))).isEqualTo(70);

        String seeded = Scopes.team(id());
        await(spend.seed(seeded, 1_000, Map.of(Window.DAY, 10L), T0));
        LevelLimits team = budget(Level.TEAM, seeded, total(1_000));
        Admission.Refused r = refused(l, request(T0, 1, 0, team));
        assertThat(r.retryAfterSeconds()).isZero();
        assertThat(snap(l, budget(Level.TEAM, seeded, new BudgetLimits(2_000, 20, Window.DAY)), T0))
                .isEqualTo(new LevelSnapshot(-1, -1, 1_000, 10, -1));
        admitted(l, request(T0, 1, 0, budget(Level.TEAM, seeded, new BudgetLimits(2_000, 20, Window.DAY))));
        assertThat(refused(l, request(T0, 1, 0, budget(Level.TEAM, seeded, perDay(10)))).retryAfterSeconds())
                .isEqualTo(Refusal.untilEnd(Window.DAY, T0));
    }

    @Test
    void aRequestWithoutLevelsIsAdmittedAndSettledWithoutCounters() {
        LimitLedger l = gateways(1).get(0);
        Admission.Admitted a = admitted(l, request(T0, 10, 10));
        assertThat(a.usage()).isEmpty();
        await(l.settle(a.ticket(), settlement(5, 5)));
    }
}
