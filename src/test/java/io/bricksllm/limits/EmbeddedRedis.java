package io.bricksllm.limits;

import io.bricksllm.config.RedisSettings;
import io.bricksllm.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary bundled by embedded-redis) on a free port of 127.0.0.1 — never 6379.
 * Nothing is persisted: a stopped server comes back empty, as after a Redis restart without persistence.
 */
final class EmbeddedRedis implements AutoCloseable {
    private static EmbeddedRedis shared;

    final int port;
    private final Path dir;
    private RedisServer server;

    private EmbeddedRedis(int port) {
        this.port = port;
        try {
            this.dir = Files.createTempDirectory("bricks-redis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server of its own (for tests that stop it), started. */
    static EmbeddedRedis startNew() {
        EmbeddedRedis r = new EmbeddedRedis(TestDatabases.freePort());
        r.start();
        return r;
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
    synchronized void start() {
        if (server != null && server.isActive()) return;
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("dir " + dir.toAbsolutePath())
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Redis on port " + port, e);
        }
    }

    synchronized void stop() {
        try {
            if (server != null && server.isActive()) server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RedisSettings settings(int db, Duration timeout) {
        return new RedisSettings("127.0.0.1", port, "", "", db, timeout, timeout);
    }

    @Override
    public void close() {
        stop();
    }
}
