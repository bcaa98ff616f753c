package io.bricksllm.limits;

import io.bricksllm.config.RedisSettings;
import io.bricksllm.testing.TestRedis;
import java.time.Duration;

/**
 * The limits tests' view of a real Redis: a {@link TestRedis} (free port, restartable, nothing persisted)
 * plus a per-JVM shared instance and connection settings for the gateway's Redis clients.
 */
final class EmbeddedRedis implements AutoCloseable {
    private static EmbeddedRedis shared;

    final int port;
    private final TestRedis redis;

    private EmbeddedRedis(TestRedis redis) {
        this.redis = redis;
        this.port = redis.port();
    }

    /** A server of its own (for tests that stop it), started. */
    static EmbeddedRedis startNew() {
        return new EmbeddedRedis(TestRedis.start());
    }

    /** One server per test JVM, stopped when the JVM exits. */
    static synchronized EmbeddedRedis shared() {
        if (shared == null) {
            shared = startNew();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** Starts (or restarts) the server on the same port. */
    void start() {
        redis.restart();
    }

    void stop() {
        redis.stop();
    }

    RedisSettings settings(int db, Duration timeout) {
        return new RedisSettings("127.0.0.1", port, "", "", db, timeout);
    }

    @Override
    public void close() {
        redis.close();
    }
}
