package io.bricksllm.proxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.config.GoDuration;
import io.bricksllm.limits.BudgetLimits;
import io.bricksllm.limits.LevelLimits;
import io.bricksllm.limits.LevelSnapshot;
import io.bricksllm.limits.LimitLedger;
import io.bricksllm.limits.LimitStoreUnavailable;
import io.bricksllm.limits.Micros;
import io.bricksllm.limits.Window;
import io.bricksllm.proxy.stage.AdmissionLevels;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.Json;
import io.bricksllm.store.PathConfig;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.Team;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /v1/key}: the caller's own key — name, tags, limits, expiry, team — with what of each limit is used in its
 * current window and what remains, for the key and for its team, read from the counters admission uses
 * ({@link LimitLedger#snapshot} of the levels {@link AdmissionLevels} builds), so in scale-out mode every instance shows
 * the shared Redis counts. Only reads: the endpoint's {@link Operation#KEY_VIEW} takes no slot and reserves nothing.
 * Never shows the secret, its hash, setting ids or credentials. Usage is shown only for the limits a level has: spend
 * without a budget is not kept by the ledger (the reporting API sums it from the events).
 */
public final class KeyView {
    private final LimitLedger ledger;

    public KeyView(LimitLedger ledger) {
        this.ledger = ledger;
    }

    Future<Outcome> answer(Exchange x) {
        ApiKey key = x.key;
        Instant now = x.receivedAt;
        LevelLimits keyLevel = AdmissionLevels.of(key);
        Team team = key.teamId().isEmpty() ? null : x.config.teamsById().get(key.teamId());
        LevelLimits teamLevel = team == null ? null : AdmissionLevels.of(team);
        Future<LevelSnapshot> keyUsage = ledger.snapshot(keyLevel, now);
        Future<LevelSnapshot> teamUsage = teamLevel == null ? Future.succeededFuture() : ledger.snapshot(teamLevel, now);
        return Future.all(keyUsage, teamUsage).transform(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof LimitStoreUnavailable) {
                    return Refusal.fail(new Refusal.Unavailable("limit store unavailable; try again shortly"));
                }
                return Future.failedFuture(ar.cause());
            }
            ObjectNode view = describe(x, key);
            usage(view.putObject("usage"), keyLevel, keyUsage.result(), now);
            if (team != null) {
                ObjectNode t = view.putObject("team").put("id", team.id()).put("name", team.name());
                limits(t, team.rateLimitOverTime(), team.rateLimitUnit(), team.tokenLimitOverTime(), team.tokenLimitUnit(),
                        team.costLimitInUsd(), team.costLimitInUsdOverTime(), team.costLimitInUsdUnit(), team.maxConcurrentRequests());
                if (!team.allowedModels().isEmpty()) team.allowedModels().forEach(t.putArray("allowedModels")::add);
                if (!team.allowedProviders().isEmpty()) team.allowedProviders().forEach(t.putArray("allowedProviders")::add);
                usage(t.putObject("usage"), teamLevel, teamUsage.result(), now);
            }
            byte[] body = Json.write(view).getBytes(StandardCharsets.UTF_8);
            x.request.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store").end(Buffer.buffer(body));
            return Future.succeededFuture(new Outcome(200, "", 0, 0, 0, 0, false, key.shouldLogResponse() ? body : null, null, false));
        });
    }

    /** What of each limit a level has is used now, and what remains (also the console's team and user usage). */
    public static void usage(ObjectNode usage, LevelLimits l, LevelSnapshot s, Instant now) {
        if (l.limitsRequests()) {
            count(usage.putObject("requests"), l.requests(), s.requestsUsed(), l.requestWindow(), now);
        }
        if (l.limitsTokens()) {
            count(usage.putObject("tokens"), l.tokens(), s.tokensUsed(), l.tokenWindow(), now);
        }
        BudgetLimits budget = l.budget();
        if (budget.windowMicros() > 0 && budget.window() != null) {
            money(usage.putObject("costInUsdOverTime"), budget.windowMicros(), s.windowSpentMicros())
                    .put("unit", budget.window().unit()).put("resetsAt", budget.window().end(now) / 1000);
        }
        if (budget.totalMicros() > 0) money(usage.putObject("costInUsd"), budget.totalMicros(), s.totalSpentMicros());
        if (l.limitsConcurrency()) {
            long inFlight = Math.max(0, s.inFlight());
            usage.putObject("concurrentRequests").put("limit", l.maxConcurrent()).put("inFlight", inFlight)
                    .put("remaining", Math.max(0, l.maxConcurrent() - inFlight));
        }
    }

    private static void count(ObjectNode n, long limit, long used, Window window, Instant now) {
        long u = Math.max(0, used);
        n.put("limit", limit).put("used", u).put("remaining", Math.max(0, limit - u)).put("unit", window.unit())
                .put("resetsAt", window.end(now) / 1000);
    }

    private static void limits(ObjectNode n, long rate, String rateUnit, long tokens, String tokenUnit, double cost,
                               double costOverTime, String costUnit, int maxConcurrent) {
        n.put("rateLimitOverTime", rate).put("rateLimitUnit", rateUnit)
                .put("costLimitInUsd", cost).put("costLimitInUsdOverTime", costOverTime).put("costLimitInUsdUnit", costUnit);
        if (tokens > 0) n.put("tokenLimitOverTime", tokens).put("tokenLimitUnit", tokenUnit);
        if (maxConcurrent > 0) n.put("maxConcurrentRequests", maxConcurrent);
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
        if (!key.teamId().isEmpty()) n.put("teamId", key.teamId());
        limits(n, key.rateLimitOverTime(), key.rateLimitUnit(), key.tokenLimitOverTime(), key.tokenLimitUnit(), key.costLimitInUsd(),
                key.costLimitInUsdOverTime(), key.costLimitInUsdUnit(), key.maxConcurrentRequests());
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
