package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static io.bricksllm.limits.Gateways.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The failure policies over the multi-level ledger: a store failing on demand, and a real Redis stopped. */
class GuardedLimitLedgerTest {
    private static final Instant NOW = Instant.parse("2031-05-17T10:15:30Z");
    private static final FailurePolicy OPEN = FailurePolicy.FAIL_OPEN;
    private static final FailurePolicy CLOSED = FailurePolicy.FAIL_CLOSED;

    /** A memory ledger that is down while {@code down} is set, and counts the calls that reached it. */
    private static final class FlakyLedger implements LimitLedger {
        final MemorySpendLedger spend = new MemorySpendLedger();
        final MemoryLimitLedger ledger = new MemoryLimitLedger(spend);
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down;

        private <T> Future<T> call(java.util.function.Supplier<Future<T>> healthy) {
            calls.incrementAndGet();
            return down ? Future.failedFuture(new LimitStoreUnavailable("down")) : healthy.get();
        }

        public Future<Admission> admit(AdmissionRequest request) {
            return call(() -> ledger.admit(request));
        }

        public Future<Void> settle(Ticket ticket, Settlement settlement) {
            return call(() -> ledger.settle(ticket, settlement));
        }

        public Future<LevelSnapshot> snapshot(LevelLimits level, Instant now) {
            return call(() -> ledger.snapshot(level, now));
        }
    }

    private static String scope() {
        return "key:" + UUID.randomUUID();
    }

    private static LevelLimits budgetOnly(String scope) {
        return new LevelLimits(Level.TEAM, scope, scope, 0, null, 0, null, new BudgetLimits(100, 0, null), 0);
    }

    private static LevelLimits tokensOnly(String scope) {
        return new LevelLimits(Level.KEY, scope, scope, 0, null, 1_000, Window.MINUTE, null, 0);
    }

    private static LevelLimits concurrencyOnly(String scope) {
        return new LevelLimits(Level.USER, scope, scope, 0, null, 0, null, null, 2);
    }

    private static AdmissionRequest request(LevelLimits... levels) {
        return new AdmissionRequest(List.of(levels), 10, 10, NOW);
    }

    private static boolean refusedAsUnavailable(LimitLedger l, AdmissionRequest r) {
        Future<Admission> f = l.admit(r);
        try {
            Admission a = await(f);
            assertThat(a).isInstanceOf(Admission.Admitted.class);
            Admission.Admitted admitted = (Admission.Admitted) a;
            assertThat(admitted.ticket().counted()).isFalse();
            assertThat(admitted.usage()).allMatch(u -> u.requestsUsed() == -1 && u.tokensUsed() == -1);
            return false;
        } catch (IllegalStateException e) {
            assertThat(e.getCause()).isInstanceOf(LimitStoreUnavailable.class);
            return true;
        }
    }

    @Test
    void eachLevelMeetsThePolicyOfWhatItLimits() {
        FlakyLedger store = new FlakyLedger();
        store.down = true;
        GuardedLimitLedger rateClosed = new GuardedLimitLedger(store, CLOSED, OPEN, Duration.ZERO);
        GuardedLimitLedger budgetClosed = new GuardedLimitLedger(store, OPEN, CLOSED, Duration.ZERO);
        GuardedLimitLedger open = new GuardedLimitLedger(store, OPEN, OPEN, Duration.ZERO);
        LevelLimits budget = budgetOnly(scope());
        LevelLimits tokens = tokensOnly(scope());
        LevelLimits slots = concurrencyOnly(scope());

        assertThat(refusedAsUnavailable(rateClosed, request(budget))).isFalse();
        assertThat(refusedAsUnavailable(rateClosed, request(tokens))).isTrue();
        assertThat(refusedAsUnavailable(rateClosed, request(slots))).isTrue();
        assertThat(refusedAsUnavailable(rateClosed, request(budget, slots))).isTrue();
        assertThat(refusedAsUnavailable(budgetClosed, request(budget))).isTrue();
        assertThat(refusedAsUnavailable(budgetClosed, request(tokens, slots))).isFalse();
        assertThat(refusedAsUnavailable(budgetClosed, request(tokens, budget))).isTrue();
        assertThat(refusedAsUnavailable(open, request(budget, tokens, slots))).isFalse();
        assertThat(open.outage().admittedWhileDown()).isEqualTo(1);
        assertThat(open.outage().down()).isTrue();
    }

    @Test
    void settlingNeverFailsSnapshotsFailTypedAndTheStoreDecidesAgainOnceBack() {
        FlakyLedger store = new FlakyLedger();
        GuardedLimitLedger l = new GuardedLimitLedger(store, OPEN, OPEN, Duration.ZERO);
        LevelLimits budget = budgetOnly(scope());
        store.down = true;
        Admission.Admitted uncounted = (Admission.Admitted) await(l.admit(request(budget)));
        await(l.settle(uncounted.ticket(), new Settlement(7, 5, true))); // never fails the request
        assertThat(failure(l.snapshot(budget, NOW))).isInstanceOf(LimitStoreUnavailable.class);
        assertThat(l.outage().failures()).isEqualTo(3);
        store.down = false;
        await(l.settle(uncounted.ticket(), new Settlement(7, 5, true)));
        assertThat(await(store.spend.totalSpent(budget.scope()))).as("an uncounted ticket records its cost").isEqualTo(7);
        Admission.Admitted counted = (Admission.Admitted) await(l.admit(request(budget)));
        assertThat(counted.ticket().counted()).isTrue();
        assertThat(l.outage().down()).isFalse();
    }

    @Test
    void whileDownAdmissionSkipsTheStoreUntilTheProbeIntervalPassed() {
        FlakyLedger store = new FlakyLedger();
        GuardedLimitLedger l = new GuardedLimitLedger(store, CLOSED, CLOSED, Duration.ofHours(1));
        store.down = true;
        failure(l.admit(request(tokensOnly(scope()))));
        store.down = false;
        for (int i = 0; i < 5; i++) assertThat(failure(l.admit(request(tokensOnly(scope()))))).isInstanceOf(LimitStoreUnavailable.class);
        assertThat(store.calls.get()).as("one call reached the store").isEqualTo(1);
        assertThat(l.outage().failures()).isEqualTo(6);
    }

    @Test
    void withRedisStoppedFailingOpenAdmitsUncountedAndFailingClosedRefuses() {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRedis redis = EmbeddedRedis.startNew(); Gateways processes = new Gateways()) {
            RedisLimitLedger store = new RedisLimitLedger(vertx, processes.connect(redis.settings(0, Duration.ofSeconds(1))),
                    Duration.ofSeconds(60), Duration.ofMinutes(15), false, Clock.systemUTC());
            GuardedLimitLedger open = new GuardedLimitLedger(store, OPEN, OPEN, Duration.ofMillis(100));
            GuardedLimitLedger closed = new GuardedLimitLedger(store, CLOSED, CLOSED, Duration.ofMillis(100));
            LevelLimits key = new LevelLimits(Level.KEY, "k", scope(), 5, Window.MINUTE, 1_000, Window.MINUTE,
                    new BudgetLimits(1_000, 0, null), 3);
            Admission.Admitted warm = (Admission.Admitted) await(closed.admit(request(key)));
            assertThat(warm.ticket().counted()).isTrue();

            redis.stop();
            assertThat(refusedAsUnavailable(open, request(key))).isFalse();
            assertThat(refusedAsUnavailable(closed, request(key))).isTrue();
            await(closed.settle(warm.ticket(), new Settlement(5, 5, true))); // never fails
            assertThat(failure(closed.snapshot(key, NOW))).isInstanceOf(LimitStoreUnavailable.class);
            assertThat(closed.outage().down()).isTrue();

            redis.start();
            Poll.until(Duration.ofSeconds(15), "Redis answers again", () -> {
                try {
                    return await(closed.admit(request(key))) instanceof Admission.Admitted a && a.ticket().counted();
                } catch (IllegalStateException e) {
                    return false;
                }
            });
            assertThat(closed.outage().down()).isFalse();
            assertThat(await(closed.snapshot(key, NOW)).requestsUsed()).as("Redis came back empty").isEqualTo(1);
            store.close();
        } finally {
            await(vertx.close());
        }
    }
}
