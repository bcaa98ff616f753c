package io.bricksllm.proxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.config.GoDuration;
import io.bricksllm.limits.BudgetLimits;
import io.bricksllm.limits.LimitStoreUnavailable;
import io.bricksllm.limits.Micros;
import io.bricksllm.limits.RateLimiter;
import io.bricksllm.limits.Scopes;
import io.bricksllm.limits.SpendLedger;
import io.bricksllm.limits.Window;
import io.bricksllm.proxy.stage.BudgetStage;
import io.bricksllm.proxy.stage.RateLimitStage;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.Json;
import io.bricksllm.store.PathConfig;
import io.bricksllm.store.ProviderSetting;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /v1/key}: the caller's own key — name, tags, limits, expiry — with what of each limit is used in its
 * current window and what remains, read from the counters admission uses ({@link RateLimitStage#window},
 * {@link BudgetStage#limits}, the same scope), so in scale-out mode every instance shows the shared Redis counts.
 * Only reads: the endpoint's {@link Operation#KEY_VIEW} takes no slot and reserves nothing. Never shows the secret,
 * its hash, setting ids or credentials. Usage is shown only for the limits the key has: spend of a key without a
 * budget is not kept by the ledger (the reporting API sums it from the events).
 */
public final class KeyView {
    private final RateLimiter limiter;
    private final SpendLedger ledger;

    public KeyView(RateLimiter limiter, SpendLedger ledger) {
        this.limiter = limiter;
        this.ledger = ledger;
    }

    Future<Outcome> answer(Exchange x) {
        ApiKey key = x.key;
        Instant now = x.receivedAt;
        String scope = Scopes.key(key.keyId());
        Window rateWindow = RateLimitStage.window(key);
        BudgetLimits budget = BudgetStage.limits(key);
        boolean periodBudget = budget.windowMicros() > 0 && budget.window() != null;
        Future<Long> requests = rateWindow == null ? Future.succeededFuture(0L) : limiter.used(scope, rateWindow, now);
        Future<Long> total = budget.totalMicros() > 0 ? ledger.totalSpent(scope) : Future.succeededFuture(0L);
        Future<Long> period = periodBudget ? ledger.windowSpent(scope, budget.window(), now) : Future.succeededFuture(0L);
        return Future.all(requests, total, period).transform(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof LimitStoreUnavailable) {
                    return Refusal.fail(new Refusal.Unavailable("limit store unavailable; try again shortly"));
                }
                return Future.failedFuture(ar.cause());
            }
            ObjectNode view = describe(x, key);
            ObjectNode usage = view.putObject("usage");
            if (rateWindow != null) {
                long limit = key.rateLimitOverTime();
                usage.putObject("requests").put("limit", limit).put("used", requests.result())
                        .put("remaining", Math.max(0, limit - requests.result())).put("unit", rateWindow.unit())
                        .put("resetsAt", rateWindow.end(now) / 1000);
            }
            if (periodBudget) {
                money(usage.putObject("costInUsdOverTime"), budget.windowMicros(), period.result())
                        .put("unit", budget.window().unit()).put("resetsAt", budget.window().end(now) / 1000);
            }
            if (budget.totalMicros() > 0) money(usage.putObject("costInUsd"), budget.totalMicros(), total.result());
            byte[] body = Json.write(view).getBytes(StandardCharsets.UTF_8);
            x.request.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store").end(Buffer.buffer(body));
            return Future.succeededFuture(new Outcome(200, "", 0, 0, 0, 0, false, key.shouldLogResponse() ? body : null, null, false));
        });
    }

    private static ObjectNode money(ObjectNode n, long limitMicros, long spentMicros) {
        return n.put("limitInUsd", Micros.toUsd(limitMicros)).put("spentInUsd", Micros.toUsd(spentMicros))
                .put("remainingInUsd", Micros.toUsd(Math.max(0, limitMicros - spentMicros)));
    }

    /** The key's own fields, as the admin API names them; nothing secret. */
    private static ObjectNode describe(Exchange x, ApiKey key) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("keyId", key.keyId()).put("name", key.name());
        ArrayNode tags = n.putArray("tags");
        key.tags().forEach(tags::add);
        n.put("createdAt", key.createdAt());
        if (!key.ttl().isEmpty()) {
            n.put("ttl", key.ttl());
            Long expiresAt = expiresAt(key);
            if (expiresAt != null) n.put("expiresAt", expiresAt);
        }
        n.put("rateLimitOverTime", key.rateLimitOverTime()).put("rateLimitUnit", key.rateLimitUnit())
                .put("costLimitInUsd", key.costLimitInUsd()).put("costLimitInUsdOverTime", key.costLimitInUsdOverTime())
                .put("costLimitInUsdUnit", key.costLimitInUsdUnit());
        if (key.allowedPaths() != null && !key.allowedPaths().isEmpty()) {
            ArrayNode paths = n.putArray("allowedPaths");
            for (PathConfig p : key.allowedPaths()) paths.addObject().put("path", p.path()).put("method", p.method());
        }
        ArrayNode providers = n.putArray("providers");
        allowedModels(x, key).forEach((provider, models) -> {
            ObjectNode p = providers.addObject().put("provider", provider);
            if (models != null) models.forEach(p.putArray("allowedModels")::add);
        });
        return n;
    }

    /** Unix seconds at which a key with a TTL expires, as authentication decides it; null when it never does. */
    static Long expiresAt(ApiKey key) {
        try {
            Duration ttl = GoDuration.parse(key.ttl());
            return ttl.isZero() ? null : Instant.ofEpochSecond(key.createdAt()).plus(ttl).getEpochSecond();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Each provider the key has a setting for → the models it may call there; null when every model is allowed. */
    private static Map<String, TreeSet<String>> allowedModels(Exchange x, ApiKey key) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        for (ProviderSetting s : x.config.settingsOf(key)) {
            boolean seen = out.containsKey(s.provider());
            TreeSet<String> models = out.get(s.provider());
            if (seen && models == null) continue; // another setting already allows every model
            if (s.allowedModels().isEmpty()) {
                out.put(s.provider(), null);
            } else {
                if (models == null) out.put(s.provider(), models = new TreeSet<>());
                models.addAll(s.allowedModels());
            }
        }
        return out;
    }
}
