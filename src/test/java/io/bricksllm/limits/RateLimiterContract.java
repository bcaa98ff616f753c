package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link RateLimiter} shares, whatever holds its counters. Time is injected: no sleeps. */
abstract class RateLimiterContract {
    static final Instant T0 = Instant.parse("2031-05-17T10:15:30.250Z");

    /** {@code n} handles on one shared store, as {@code n} gateway processes would have. */
    protected abstract List<RateLimiter> gateways(int n);

    /** Requests counted in the window of {@code scope} containing {@code now}. */
    protected abstract long count(RateLimiter limiter, String scope, Window window, Instant now);

    static String scope() {
        return "key:" + UUID.randomUUID();
    }

    @Test
    void concurrentAcquisitionsFromThreeGatewaysAdmitExactlyTheLimit() throws Exception {
        List<RateLimiter> gateways = gateways(3);
        String scope = scope();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<List<Future<Boolean>>>> fired = new ArrayList<>();
            for (RateLimiter gateway : gateways) {
                fired.add(threads.submit(() -> {
                    go.await();
                    List<Future<Boolean>> calls = new ArrayList<>();
                    for (int i = 0; i < 100; i++) calls.add(gateway.tryAcquire(scope, 100, Window.MINUTE, T0.plusMillis(i)));
                    return calls;
                }));
            }
            go.countDown();
            int[] admitted = new int[3];
            for (int g = 0; g < 3; g++) {
                for (Future<Boolean> call : fired.get(g).get()) if (await(call)) admitted[g]++;
            }
            System.out.printf("[%s] 300 concurrent acquisitions, limit 100: admitted %d + %d + %d = %d%n",
                    getClass().getSimpleName(), admitted[0], admitted[1], admitted[2], admitted[0] + admitted[1] + admitted[2]);
            assertThat(admitted[0] + admitted[1] + admitted[2]).isEqualTo(100);
            assertThat(count(gateways.get(0), scope, Window.MINUTE, T0)).isEqualTo(100);
            assertThat(await(gateways.get(2).tryAcquire(scope, 100, Window.MINUTE, T0.plusSeconds(1)))).isFalse();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void usedReadsAnyGatewaysCountOfTheCurrentWindowAndChangesNothing() {
        List<RateLimiter> gateways = gateways(2);
        String scope = scope();
        for (int i = 0; i < 3; i++) assertThat(await(gateways.get(0).tryAcquire(scope, 5, Window.MINUTE, T0))).isTrue();
        for (int i = 0; i < 4; i++) assertThat(await(gateways.get(1).used(scope, Window.MINUTE, T0))).isEqualTo(3);
        assertThat(await(gateways.get(1).used(scope, Window.HOUR, T0))).as("another window's counter").isZero();
        assertThat(await(gateways.get(1).used(scope, Window.MINUTE, T0.plusSeconds(60)))).as("the next minute").isZero();
        assertThat(await(gateways.get(1).used(scope(), Window.MINUTE, T0))).as("a scope never counted").isZero();
        assertThat(count(gateways.get(0), scope, Window.MINUTE, T0)).isEqualTo(3);
    }

    @Test
    void acquireSaysTheWindowsCountAfterTheAttempt() {
        List<RateLimiter> gateways = gateways(2);
        String scope = scope();
        assertThat(await(gateways.get(0).acquire(scope, 2, Window.MINUTE, T0))).isEqualTo(new RateAdmission(true, 1));
        assertThat(await(gateways.get(1).acquire(scope, 2, Window.MINUTE, T0))).isEqualTo(new RateAdmission(true, 2));
        assertThat(await(gateways.get(0).acquire(scope, 2, Window.MINUTE, T0))).isEqualTo(new RateAdmission(false, 2));
        assertThat(await(gateways.get(0).acquire(scope, 2, Window.MINUTE, T0.plusSeconds(60)))).as("the next window")
                .isEqualTo(new RateAdmission(true, 1));
    }

    @Test
    void refusedRequestsAreNotCounted() {
        RateLimiter limiter = gateways(1).get(0);
        String scope = scope();
        assertThat(await(limiter.tryAcquire(scope, 2, Window.SECOND, T0))).isTrue();
        assertThat(await(limiter.tryAcquire(scope, 2, Window.SECOND, T0))).isTrue();
        for (int i = 0; i < 5; i++) assertThat(await(limiter.tryAcquire(scope, 2, Window.SECOND, T0))).isFalse();
        assertThat(count(limiter, scope, Window.SECOND, T0)).isEqualTo(2);
    }

    @Test
    void releaseGivesTheSlotBackToAnyGateway() {
        List<RateLimiter> gateways = gateways(2);
        String scope = scope();
        assertThat(await(gateways.get(0).tryAcquire(scope, 1, Window.HOUR, T0))).isTrue();
        assertThat(await(gateways.get(1).tryAcquire(scope, 1, Window.HOUR, T0))).isFalse();
        await(gateways.get(0).release(scope, Window.HOUR, T0));
        assertThat(count(gateways.get(1), scope, Window.HOUR, T0)).isZero();
        assertThat(await(gateways.get(1).tryAcquire(scope, 1, Window.HOUR, T0.plusSeconds(5)))).isTrue();
    }

    @Test
    void releaseNeverGoesBelowZero() {
        RateLimiter limiter = gateways(1).get(0);
        String scope = scope();
        await(limiter.release(scope, Window.MINUTE, T0));
        assertThat(await(limiter.tryAcquire(scope, 1, Window.MINUTE, T0))).isTrue();
        await(limiter.release(scope, Window.MINUTE, T0));
        await(limiter.release(scope, Window.MINUTE, T0));
        assertThat(count(limiter, scope, Window.MINUTE, T0)).isZero();
        assertThat(await(limiter.tryAcquire(scope, 1, Window.MINUTE, T0))).isTrue();
        assertThat(await(limiter.tryAcquire(scope, 1, Window.MINUTE, T0))).isFalse();
    }

    @Test
    void aNewWindowStartsAtTheCalendarBoundaryInUtc() {
        RateLimiter limiter = gateways(1).get(0);
        String scope = scope();
        Instant lastMs = Instant.parse("2031-05-17T10:15:59.999Z");
        Instant nextMinute = Instant.parse("2031-05-17T10:16:00Z");
        assertThat(await(limiter.tryAcquire(scope, 1, Window.MINUTE, Instant.parse("2031-05-17T10:15:00Z")))).isTrue();
        assertThat(await(limiter.tryAcquire(scope, 1, Window.MINUTE, lastMs))).isFalse();
        assertThat(await(limiter.tryAcquire(scope, 1, Window.MINUTE, nextMinute))).isTrue();
        assertThat(await(limiter.tryAcquire(scope, 1, Window.MINUTE, nextMinute.plusSeconds(59)))).isFalse();
    }

    @Test
    void everyUnitRollsOver() {
        RateLimiter limiter = gateways(1).get(0);
        for (Window w : List.of(Window.SECOND, Window.MINUTE, Window.HOUR, Window.DAY, Window.MONTH)) {
            String scope = scope();
            Instant start = Instant.ofEpochMilli(w.start(T0));
            Instant next = Instant.ofEpochMilli(w.end(T0));
            assertThat(await(limiter.tryAcquire(scope, 2, w, start))).as(w.unit()).isTrue();
            assertThat(await(limiter.tryAcquire(scope, 2, w, next.minusMillis(1)))).as(w.unit()).isTrue();
            assertThat(await(limiter.tryAcquire(scope, 2, w, next.minusMillis(1)))).as(w.unit()).isFalse();
            assertThat(await(limiter.tryAcquire(scope, 2, w, next))).as(w.unit()).isTrue();
            assertThat(count(limiter, scope, w, next)).as(w.unit()).isEqualTo(1);
        }
    }

    @Test
    void releasingASlotOfAPastWindowDoesNotFreeTheCurrentOne() {
        RateLimiter limiter = gateways(1).get(0);
        String scope = scope();
        Instant next = T0.plus(Duration.ofMinutes(1));
        assertThat(await(limiter.tryAcquire(scope, 1, Window.MINUTE, T0))).isTrue();
        assertThat(await(limiter.tryAcquire(scope, 1, Window.MINUTE, next))).isTrue();
        await(limiter.release(scope, Window.MINUTE, T0));
        assertThat(await(limiter.tryAcquire(scope, 1, Window.MINUTE, next))).isFalse();
    }

    @Test
    void scopesAndUnitsAreCountedApart() {
        RateLimiter limiter = gateways(1).get(0);
        String a = scope();
        String b = scope();
        assertThat(await(limiter.tryAcquire(a, 1, Window.MINUTE, T0))).isTrue();
        assertThat(await(limiter.tryAcquire(b, 1, Window.MINUTE, T0))).isTrue();
        assertThat(await(limiter.tryAcquire(a, 1, Window.HOUR, T0))).isTrue();
        assertThat(await(limiter.tryAcquire(a, 1, Window.MINUTE, T0))).isFalse();
    }

    @Test
    void aZeroLimitAdmitsNothing() {
        RateLimiter limiter = gateways(1).get(0);
        assertThat(await(limiter.tryAcquire(scope(), 0, Window.MINUTE, T0))).isFalse();
    }
}
