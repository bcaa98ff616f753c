package io.bricksllm.telemetry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.store.Database;
import io.bricksllm.store.Json;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.function.Supplier;

/**
 * Readiness ({@code GET /api/health/ready}): the state of the database and of Redis, 200 when the
 * gateway can serve everything, 503 otherwise. Liveness stays {@code /api/health} (always 200, no checks).
 */
public final class HealthResource implements AdminResource {
    private final Database db;
    private final Supplier<Future<Boolean>> redisPing; // null when Redis is not configured

    public HealthResource(Database db, Supplier<Future<Boolean>> redisPing) {
        this.db = db;
        this.redisPing = redisPing;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.GET, "/api/health/ready", req -> {
            boolean dbUp = db.isReachable();
            String redis = "not_configured";
            if (redisPing != null) {
                boolean up;
                try {
                    up = redisPing.get().toCompletionStage().toCompletableFuture().get(2, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    up = false;
                }
                redis = up ? "up" : "down";
            }
            ObjectNode n = Json.MAPPER.createObjectNode();
            boolean ready = dbUp && !redis.equals("down");
            n.put("status", ready ? "ready" : "degraded");
            n.put("database", dbUp ? "up" : "down");
            n.put("redis", redis);
            return new AdminReply(ready ? 200 : 503, n, false);
        });
    }
}
