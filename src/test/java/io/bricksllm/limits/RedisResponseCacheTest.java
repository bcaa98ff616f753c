package io.bricksllm.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.route.CachedResponse;
import io.bricksllm.route.RedisResponseCache;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scale-out route cache on a real Redis (kept beside the other Redis tests for their embedded server). */
class RedisResponseCacheTest {
    static Vertx vertx;
    static RedisConnector redis;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        redis = new RedisConnector(vertx, EmbeddedRedis.shared().settings(3, Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        redis.close();
        vertx.close().await();
    }

    @Test
    void storedAnswersComeBackByteForByteFromAnyInstanceAndExpire() throws Exception {
        byte[] body = {'d', 'a', 't', 'a', ':', ' ', 0, (byte) 0xff, '\n', '\n'};
        RedisResponseCache writer = new RedisResponseCache(redis);
        writer.put("k1", new CachedResponse(200, "text/event-stream", body), Duration.ofMillis(300)).await(5, TimeUnit.SECONDS);
        RedisConnector other = new RedisConnector(vertx, EmbeddedRedis.shared().settings(3, Duration.ofSeconds(2)));
        try {
            var hit = new RedisResponseCache(other).get("k1").await(5, TimeUnit.SECONDS);
            assertThat(hit).isPresent();
            assertThat(hit.get().body()).isEqualTo(body);
            assertThat(hit.get().contentType()).isEqualTo("text/event-stream");
            assertThat(new RedisResponseCache(other).get("missing").await(5, TimeUnit.SECONDS)).isEmpty();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (new RedisResponseCache(other).get("k1").await(5, TimeUnit.SECONDS).isPresent() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(new RedisResponseCache(other).get("k1").await(5, TimeUnit.SECONDS)).isEmpty();
        } finally {
            other.close();
        }
    }
}
