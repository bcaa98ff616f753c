package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryRateLimiterTest extends RateLimiterContract {
    /** The time, moved by hand. */
    private static final class Now {
        private final AtomicLong millis;

        Now(Instant start) {
            millis = new AtomicLong(start.toEpochMilli());
        }

        long millis() {
            return millis.get();
        }

        Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }
    }
    @Override
    protected List<RateLimiter> gateways(int n) {
        return Collections.nCopies(n, new MemoryRateLimiter());
    }

    @Override
    protected long count(RateLimiter limiter, String scope, Window window, Instant now) {
        return ((MemoryRateLimiter) limiter).count(scope, window, now);
    }

    @Test
    void countersAreDroppedOnceTheirWindowHasPassed() {
        Now clock = new Now(Instant.parse("2031-05-17T10:15:30.250Z"));
        MemoryRateLimiter limiter = new MemoryRateLimiter(clock::millis);
        for (int i = 0; i < 10_000; i++) assertThat(await(limiter.tryAcquire("key:" + i, 5, Window.SECOND, clock.instant()))).isTrue();
        for (int i = 0; i < 100; i++) assertThat(await(limiter.tryAcquire("key:h" + i, 5, Window.HOUR, clock.instant()))).isTrue();
        assertThat(limiter.size()).isEqualTo(10_100);

        clock.advance(Duration.ofMillis(749));
        assertThat(limiter.size()).as("the second's windows are still open").isEqualTo(10_100);
        assertThat(limiter.count("key:1", Window.SECOND, clock.instant())).isEqualTo(1);

        // dropped a minute after the window ends; Caffeine sweeps by a timer wheel whose finest buckets span ~1.07 s
        clock.advance(Duration.ofMillis(1 + MemoryRateLimiter.SLACK_MILLIS + 2_000));
        assertThat(limiter.size()).as("only the hour's counters remain").isEqualTo(100);
        clock.advance(Duration.ofMinutes(46));
        assertThat(limiter.size()).isZero();
    }

    @Test
    void aRefusedOrReleasedRequestDoesNotKeepItsCounterPastTheWindow() {
        Now clock = new Now(Instant.parse("2031-05-17T10:15:59.000Z"));
        MemoryRateLimiter limiter = new MemoryRateLimiter(clock::millis);
        assertThat(await(limiter.tryAcquire("key:a", 1, Window.MINUTE, clock.instant()))).isTrue();
        clock.advance(Duration.ofMillis(500));
        assertThat(await(limiter.tryAcquire("key:a", 1, Window.MINUTE, clock.instant()))).isFalse();
        await(limiter.release("key:a", Window.MINUTE, clock.instant()));
        clock.advance(Duration.ofMillis(500 + MemoryRateLimiter.SLACK_MILLIS + 2_000));
        assertThat(limiter.size()).isZero();
    }
}
