package io.bricksllm.limits;

import io.bricksllm.config.RedisSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Simulated gateway processes for tests: each has its own Vert.x instance and its own Redis connection.
 * Closing stops them all.
 */
final class Gateways implements AutoCloseable {
    /** Timeout for tests that are not about timeouts: the machine running them may be heavily loaded. */
    static final java.time.Duration RELAXED = java.time.Duration.ofSeconds(10);

    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<RedisConnector> connectors = new ArrayList<>();

    /** A new "process": its own Vert.x and Redis client, connected. */
    RedisConnector connect(RedisSettings settings) {
        Vertx vertx = Vertx.vertx();
        RedisConnector c = new RedisConnector(vertx, settings);
        vertxes.add(vertx);
        connectors.add(c);
        for (int attempt = 1; ; attempt++) { // a cold JVM on a loaded machine may miss a short timeout
            try {
                await(c.ping());
                return c;
            } catch (IllegalStateException e) {
                if (attempt == 10) throw e;
            }
        }
    }

    Response command(RedisSettings settings, Request r) {
        return await(connect(settings).send(r));
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("call failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The failure of a future expected to fail. */
    static Throwable failure(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("expected a failure, got success");
    }

    @Override
    public void close() {
        connectors.forEach(RedisConnector::close);
        vertxes.forEach(v -> await(v.close()));
    }
}
