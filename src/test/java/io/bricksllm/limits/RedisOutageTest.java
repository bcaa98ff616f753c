package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static io.bricksllm.limits.Gateways.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.RedisSettings;
import io.bricksllm.testing.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Redis going away and coming back, on a server of this class's own. */
class RedisOutageTest {
    /** REDIS_READ_TIME_OUT's default; the machine running the tests may be heavily loaded. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Instant NOW = Instant.parse("2031-05-17T10:15:30Z");
    private static EmbeddedRedis redis;

    private final Gateways processes = new Gateways();
    private final Vertx vertx = Vertx.vertx();
    private final List<RedisLimitLedger> ledgers = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.startNew();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void stopGateways() {
        ledgers.forEach(RedisLimitLedger::close);
        processes.close();
        await(vertx.close());
        redis.start();
    }

    private RedisSettings settings() {
        return redis.settings(0, TIMEOUT);
    }

    @Test
    void whileRedisIsDownCallsFailFastAndGuardsApplyTheirPolicyUntilItAnswersAgain() {
        RedisConnector connector = processes.connect(settings());
        RedisLimitLedger limits = ledger(connector);
        RedisSpendLedger ledger = new RedisSpendLedger(connector);
        Duration probe = Duration.ofMillis(100);
        GuardedLimitLedger rateOpen = new GuardedLimitLedger(limits, FailurePolicy.FAIL_OPEN, FailurePolicy.FAIL_CLOSED, probe);
        GuardedLimitLedger rateClosed = new GuardedLimitLedger(limits, FailurePolicy.FAIL_CLOSED, FailurePolicy.FAIL_OPEN, probe);
        GuardedSpendLedger budgetOpen = new GuardedSpendLedger(ledger, FailurePolicy.FAIL_OPEN, probe);
        GuardedSpendLedger budgetClosed = new GuardedSpendLedger(ledger, FailurePolicy.FAIL_CLOSED, probe);
        String scope = "key:" + UUID.randomUUID();
        LevelLimits key = requests(scope);
        BudgetLimits budget = new BudgetLimits(1_000, 0, null);
        Admission warm = eventually(() -> rateClosed.admit(request(key)));
        assertThat(warm).as("warm").isInstanceOfSatisfying(Admission.Admitted.class, a -> assertThat(a.ticket().counted()).isTrue());
        Ticket ticket = ((Admission.Admitted) warm).ticket();
        assertThat(eventually(() -> budgetClosed.reserve(scope, 10, budget, NOW))).isPresent();

        long rateOpenFailures = rateOpen.outage().failures();
        long rateClosedFailures = rateClosed.outage().failures();
        long budgetClosedFailures = budgetClosed.outage().failures();

        redis.stop();

        assertFailsWithinTimeout(() -> limits.admit(request(key)));
        assertFailsWithinTimeout(() -> limits.settle(ticket, new Settlement(0, 0, false)));
        assertFailsWithinTimeout(() -> limits.snapshot(key, NOW));
        assertFailsWithinTimeout(() -> ledger.reserve(scope, 10, budget, NOW));
        assertFailsWithinTimeout(() -> ledger.settle(new Reservation(scope, 10, NOW), 5));
        assertFailsWithinTimeout(() -> ledger.totalSpent(scope));

        for (int i = 0; i < 2; i++) {
            assertThat(await(rateOpen.admit(request(key)))).as("fail open admits, uncounted")
                    .isInstanceOfSatisfying(Admission.Admitted.class, a -> assertThat(a.ticket().counted()).isFalse());
        }
        assertThat(rateOpen.outage().down()).isTrue();
        assertThat(rateOpen.outage().failures() - rateOpenFailures).isEqualTo(2);
        assertThat(rateOpen.outage().admittedWhileDown()).isEqualTo(2);
        assertThat(failure(rateClosed.admit(request(key)))).isInstanceOf(LimitStoreUnavailable.class);
        assertThat(rateClosed.outage().failures() - rateClosedFailures).isEqualTo(1);
        await(rateClosed.settle(ticket, new Settlement(0, 0, true))); // never fails the request

        assertThat(await(budgetOpen.reserve(scope, 10, budget, NOW))).as("fail open admits").isPresent();
        assertThat(failure(budgetClosed.reserve(scope, 10, budget, NOW))).isInstanceOf(LimitStoreUnavailable.class);
        await(budgetClosed.settle(new Reservation(scope, 10, NOW), 5)); // never fails the request
        assertThat(budgetClosed.outage().failures() - budgetClosedFailures).isEqualTo(2);

        redis.start();

        assertThat(eventually(() -> rateClosed.admit(request(key)))).as("Redis came back empty")
                .isInstanceOfSatisfying(Admission.Admitted.class, a -> assertThat(a.usage().get(0).requestsUsed()).isEqualTo(1));
        assertThat(rateClosed.outage().down()).isFalse();
        assertThat(eventually(() -> budgetClosed.reserve(scope, 10, budget, NOW))).isPresent();
        assertThat(budgetClosed.outage().down()).isFalse();
        assertThat(await(limits.snapshot(key, NOW)).requestsUsed()).isEqualTo(1);
    }

    @Test
    void aRedisThatStopsAnsweringFailsCallsWithinTheTimeoutAndTheNextCallsReconnect() {
        RedisLimitLedger limits = ledger(processes.connect(settings()));
        String scope = "key:" + UUID.randomUUID();
        LevelLimits key = requests(scope);
        assertThat(eventually(() -> limits.admit(request(key)))).as("warm").isInstanceOf(Admission.Admitted.class);

        RedisConnector admin = processes.connect(redis.settings(0, Duration.ofSeconds(20)));
        await(admin.send(Request.cmd(Command.PING)));
        // CLIENT PAUSE is in force once it has answered, so no wait for it to "begin" (DEBUG SLEEP, sent
        // asynchronously, needed a guessed sleep here); like DEBUG SLEEP it keeps connections open and answers nobody
        await(admin.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg("4000").arg("ALL")));

        Throwable e = assertFailsWithinTimeout(() -> limits.admit(request(key)));
        assertThat(e).hasMessageContaining("no answer within");

        assertThat(eventually(() -> limits.admit(request(key)))).isInstanceOf(Admission.Admitted.class);
        // a call that timed out may still have been counted when Redis woke up: such a request was refused
        // (or admitted by fail-open) all the same, so the window under-admits by at most that many
        assertThat(await(limits.snapshot(key, NOW)).requestsUsed()).isGreaterThanOrEqualTo(2L);
    }

    /** A ledger on {@code connector}, closed after the test (its lease timer). */
    private RedisLimitLedger ledger(RedisConnector connector) {
        RedisLimitLedger l = new RedisLimitLedger(vertx, connector);
        ledgers.add(l);
        return l;
    }

    /** A key limited to 5 requests a minute: the limit the guards' rate policy applies to. */
    private static LevelLimits requests(String scope) {
        return new LevelLimits(Level.KEY, scope, scope, 5, Window.MINUTE, 0, null, null, 0);
    }

    private static AdmissionRequest request(LevelLimits level) {
        return new AdmissionRequest(List.of(level), 0, 0, NOW);
    }

    private static Throwable assertFailsWithinTimeout(Supplier<Future<?>> call) {
        long t0 = System.nanoTime();
        Throwable e = failure(call.get());
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(e).isInstanceOf(LimitStoreUnavailable.class);
        assertThat(elapsedMs).as("failed after %d ms", elapsedMs).isLessThan(2 * TIMEOUT.toMillis());
        return e;
    }

    /** Retries until the call succeeds (Redis restarting), for at most 10 s. */
    private static <T> T eventually(Supplier<Future<T>> call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return await(call.get());
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) throw e;
                Poll.pause(50);
            }
        }
    }
}
