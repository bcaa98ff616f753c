package io.bricksllm.telemetry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.store.Database;
import io.bricksllm.store.Json;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Readiness ({@code GET /api/health/ready}): the state of the database and of Redis, 200 when the
 * gateway can serve everything, 503 otherwise. Liveness stays {@code /api/health} (always 200, no checks).
 *
 * <p>Readiness never waits on the database longer than {@link #DATABASE_DEADLINE}: a check that has not finished by
 * then is answered with the result of the last check that did, so during an outage readiness says 503 at once (the
 * pool's connection wait is longer than the deadline) and a healthy database that is slow on a loaded machine does
 * not make it flap. Checks run one at a time: callers that arrive while one is under way share its result, so a load
 * balancer probing an unreachable database does not pile up threads.
 */
public final class HealthResource implements AdminResource {
    static final Duration DATABASE_DEADLINE = Duration.ofMillis(500);
    private static final Duration WHILE_DOWN_DEADLINE = Duration.ofMillis(50);
    private static final Duration REDIS_DEADLINE = Duration.ofSeconds(2);

    private final Database db;
    private final Supplier<Future<Boolean>> redisPing; // null when Redis is not configured
    private final AtomicReference<CompletableFuture<Boolean>> databaseCheck = new AtomicReference<>();
    private volatile boolean databaseWasUp = true; // the gateway started, so the database answered then

    public HealthResource(Database db, Supplier<Future<Boolean>> redisPing) {
        this.db = db;
        this.redisPing = redisPing;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.GET, "/api/health/ready", req -> {
            CompletableFuture<Boolean> database = checkDatabase();
            String redis = "not_configured";
            if (redisPing != null) redis = within(redisPing.get().toCompletionStage().toCompletableFuture(), REDIS_DEADLINE, false) ? "up" : "down";
            // while down, a check that is not answered almost at once is the pool still waiting: no need to wait with it
            boolean wasUp = databaseWasUp;
            boolean dbUp = within(database, wasUp ? DATABASE_DEADLINE : WHILE_DOWN_DEADLINE, wasUp);
            ObjectNode n = Json.MAPPER.createObjectNode();
            boolean ready = dbUp && !redis.equals("down");
            n.put("status", ready ? "ready" : "degraded");
            n.put("database", dbUp ? "up" : "down");
            n.put("redis", redis);
            return new AdminReply(ready ? 200 : 503, n, false);
        });
    }

    /** The check under way, or a new one on a virtual thread (it may block for the pool's whole connection wait). */
    private CompletableFuture<Boolean> checkDatabase() {
        while (true) {
            CompletableFuture<Boolean> running = databaseCheck.get();
            if (running != null && !running.isDone()) return running;
            CompletableFuture<Boolean> fresh = new CompletableFuture<>();
            if (!databaseCheck.compareAndSet(running, fresh)) continue;
            Thread.ofVirtual().name("readiness-database").start(() -> {
                boolean up = db.isReachable();
                databaseWasUp = up;
                fresh.complete(up);
            });
            return fresh;
        }
    }

    /** The check's result, or {@code unfinished} when it takes longer than {@code deadline}. */
    private static boolean within(CompletableFuture<Boolean> check, Duration deadline, boolean unfinished) {
        try {
            return check.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            return unfinished;
        } catch (Exception e) {
            return false;
        }
    }
}
