package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.RedisSettings;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rate-limit contract against a real Redis, each "gateway" with its own Vert.x and connection. */
class RedisRateLimiterTest extends RateLimiterContract {
    private final RedisSettings settings = EmbeddedRedis.shared().settings(2, Gateways.RELAXED);
    private final Gateways processes = new Gateways();

    @AfterEach
    void stopGateways() {
        processes.close();
    }

    @Override
    protected List<RateLimiter> gateways(int n) {
        List<RateLimiter> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new RedisRateLimiter(processes.connect(settings)));
        return out;
    }

    @Override
    protected long count(RateLimiter limiter, String scope, Window window, Instant now) {
        return await(((RedisRateLimiter) limiter).count(scope, window, now));
    }

    @Test
    void theCounterLivesAtItsDocumentedKeyInTheConfiguredDatabaseAndExpiresAfterItsWindow() {
        RedisRateLimiter limiter = new RedisRateLimiter(processes.connect(settings), Duration.ofSeconds(5));
        String scope = scope();
        Instant now = Instant.now();
        assertThat(await(limiter.tryAcquire(scope, 3, Window.MINUTE, now))).isTrue();
        String key = "bricks:rate:" + scope + ":m:" + Window.MINUTE.start(now);
        assertThat(processes.command(settings, Request.cmd(Command.GET).arg(key)).toLong()).isEqualTo(1);
        long ttl = processes.command(settings, Request.cmd(Command.PTTL).arg(key)).toLong();
        assertThat(ttl).isPositive().isLessThanOrEqualTo(Window.MINUTE.end(now) - now.toEpochMilli() + 5_000);
        RedisSettings otherDb = EmbeddedRedis.shared().settings(0, Gateways.RELAXED);
        assertThat(processes.command(otherDb, Request.cmd(Command.EXISTS).arg(key)).toLong()).isZero();
    }

    @Test
    void scriptsAreLoadedAgainAfterRedisForgotThem() {
        RedisRateLimiter limiter = new RedisRateLimiter(processes.connect(settings));
        String scope = scope();
        assertThat(await(limiter.tryAcquire(scope, 2, Window.MINUTE, T0))).isTrue();
        processes.command(settings, Request.cmd(Command.SCRIPT).arg("FLUSH"));
        assertThat(await(limiter.tryAcquire(scope, 2, Window.MINUTE, T0))).isTrue();
        assertThat(await(limiter.tryAcquire(scope, 2, Window.MINUTE, T0))).isFalse();
    }
}
