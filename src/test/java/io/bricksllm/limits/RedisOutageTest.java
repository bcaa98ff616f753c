package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static io.bricksllm.limits.Gateways.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.RedisSettings;
import io.bricksllm.testing.Poll;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
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
        processes.close();
        redis.start();
    }

    private RedisSettings settings() {
        return redis.settings(0, TIMEOUT);
    }

    @Test
    void whileRedisIsDownCallsFailFastAndGuardsApplyTheirPolicyUntilItAnswersAgain() {
        RedisConnector connector = processes.connect(settings());
        RedisRateLimiter limiter = new RedisRateLimiter(connector);
        RedisSpendLedger ledger = new RedisSpendLedger(connector);
        Duration probe = Duration.ofMillis(100);
        GuardedRateLimiter rateOpen = new GuardedRateLimiter(limiter, FailurePolicy.FAIL_OPEN, probe);
        GuardedRateLimiter rateClosed = new GuardedRateLimiter(limiter, FailurePolicy.FAIL_CLOSED, probe);
        GuardedSpendLedger budgetOpen = new GuardedSpendLedger(ledger, FailurePolicy.FAIL_OPEN, probe);
        GuardedSpendLedger budgetClosed = new GuardedSpendLedger(ledger, FailurePolicy.FAIL_CLOSED, probe);
        String scope = "key:" + UUID.randomUUID();
        BudgetLimits budget = new BudgetLimits(1_000, 0, null);
        assertThat(eventually(() -> rateClosed.tryAcquire(scope, 5, Window.MINUTE, NOW))).as("warm").isTrue();
        assertThat(eventually(() -> budgetClosed.reserve(scope, 10, budget, NOW))).isPresent();

        long rateOpenFailures = rateOpen.outage().failures();
        long rateClosedFailures = rateClosed.outage().failures();
        long budgetClosedFailures = budgetClosed.outage().failures();

        redis.stop();

        assertFailsWithinTimeout(() -> limiter.tryAcquire(scope, 5, Window.MINUTE, NOW));
        assertFailsWithinTimeout(() -> limiter.release(scope, Window.MINUTE, NOW));
        assertFailsWithinTimeout(() -> ledger.reserve(scope, 10, budget, NOW));
        assertFailsWithinTimeout(() -> ledger.settle(new Reservation(scope, 10, NOW), 5));
        assertFailsWithinTimeout(() -> ledger.totalSpent(scope));

        assertThat(await(rateOpen.tryAcquire(scope, 5, Window.MINUTE, NOW))).as("fail open admits").isTrue();
        assertThat(await(rateOpen.tryAcquire(scope, 5, Window.MINUTE, NOW))).isTrue();
        assertThat(rateOpen.outage().down()).isTrue();
        assertThat(rateOpen.outage().failures() - rateOpenFailures).isEqualTo(2);
        assertThat(rateOpen.outage().admittedWhileDown()).isEqualTo(2);
        assertThat(failure(rateClosed.tryAcquire(scope, 5, Window.MINUTE, NOW))).isInstanceOf(LimitStoreUnavailable.class);
        assertThat(rateClosed.outage().failures() - rateClosedFailures).isEqualTo(1);

        assertThat(await(budgetOpen.reserve(scope, 10, budget, NOW))).as("fail open admits").isPresent();
        assertThat(failure(budgetClosed.reserve(scope, 10, budget, NOW))).isInstanceOf(LimitStoreUnavailable.class);
        await(budgetClosed.settle(new Reservation(scope, 10, NOW), 5)); // never fails the request
        assertThat(budgetClosed.outage().failures() - budgetClosedFailures).isEqualTo(2);

        redis.start();

        assertThat(eventually(() -> rateClosed.tryAcquire(scope, 5, Window.MINUTE, NOW))).as("Redis came back empty").isTrue();
        assertThat(rateClosed.outage().down()).isFalse();
        assertThat(eventually(() -> budgetClosed.reserve(scope, 10, budget, NOW))).isPresent();
        assertThat(budgetClosed.outage().down()).isFalse();
        assertThat(await(limiter.count(scope, Window.MINUTE, NOW))).isEqualTo(1);
    }

    @Test
    void aRedisThatStopsAnsweringFailsCallsWithinTheTimeoutAndTheNextCallsReconnect() {
        RedisRateLimiter limiter = new RedisRateLimiter(processes.connect(settings()));
        String scope = "key:" + UUID.randomUUID();
        assertThat(eventually(() -> limiter.tryAcquire(scope, 5, Window.MINUTE, NOW))).as("warm").isTrue();

        RedisConnector admin = processes.connect(redis.settings(0, Duration.ofSeconds(20)));
        await(admin.send(Request.cmd(Command.PING)));
        // CLIENT PAUSE is in force once it has answered, so no wait for it to "begin" (DEBUG SLEEP, sent
        // asynchronously, needed a guessed sleep here); like DEBUG SLEEP it keeps connections open and answers nobody
        await(admin.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg("4000").arg("ALL")));

        Throwable e = assertFailsWithinTimeout(() -> limiter.tryAcquire(scope, 5, Window.MINUTE, NOW));
        assertThat(e).hasMessageContaining("no answer within");

        assertThat(eventually(() -> limiter.tryAcquire(scope, 5, Window.MINUTE, NOW))).isTrue();
        // a call that timed out may still have been counted when Redis woke up: such a request was refused
        // (or admitted by fail-open) all the same, so the window under-admits by at most that many
        assertThat(await(limiter.count(scope, Window.MINUTE, NOW))).isGreaterThanOrEqualTo(2L);
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
