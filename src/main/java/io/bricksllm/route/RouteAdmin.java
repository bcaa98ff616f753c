package io.bricksllm.route;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.config.GoDuration;
import io.bricksllm.provider.Providers;
import io.bricksllm.proxy.stage.HeaderStage;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.ConfigSnapshot;
import io.bricksllm.store.KeyRepository;
import io.bricksllm.store.LiveConfig;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.Route;
import io.bricksllm.store.RouteRepository;
import io.bricksllm.store.RouteStep;
import io.bricksllm.store.StoreException;
import io.bricksllm.route.balance.Strategy;
import io.bricksllm.route.balance.TargetGroup;
import io.bricksllm.route.balance.TargetGroups;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Routes: create, get, list, update, delete (BEHAVIOUR.md §3.7) with 400/404/409 for caller mistakes. */
public final class RouteAdmin implements AdminResource {
    static final Set<String> NUMERIC_PARAMS = Set.of("frequency_penalty", "max_tokens", "max_completion_tokens", "temperature",
            "top_p", "n", "presence_penalty", "seed", "top_logprobs");
    static final Duration MAX_CACHE_TTL = Duration.ofHours(720);
    /** Column widths of V1__init.sql: PostgreSQL refuses longer values and SQLite keeps them; both get a 400 here. */
    static final int MAX_NAME = 255;
    static final int MAX_PATH = 1024;

    /** More targets in one group than any deployment set needs; bounds the health view and the metrics. */
    static final int MAX_TARGETS = 50;

    record RouteBody(String name, String path, List<String> keyIds, List<RouteStep> steps, Route.CacheConfig cacheConfig,
                     String retryStrategy, String requestFormat, List<Integer> retryOn, Map<String, String> fallbacks,
                     Route.BudgetFallback budgetFallback, Boolean allowStrategyOverride) {}

    private final RouteRepository routes;
    private final KeyRepository keys;
    /** Every built-in provider, sorted: a step's request is translated for its provider's dialect and answered as OpenAI's. */
    private final List<String> stepProviders;
    private final LiveConfig live;
    private final Clock clock;
    private final TargetGroups groups;

    public RouteAdmin(RouteRepository routes, KeyRepository keys, Providers providers, LiveConfig live, Clock clock, TargetGroups groups) {
        this.groups = groups;
        this.routes = routes;
        this.keys = keys;
        this.stepProviders = providers.names();
        this.live = live;
        this.clock = clock;
    }

    @Override
    public void register(AdminServer.Routes r) {
        r.add(HttpMethod.POST, "/api/routes", this::create);
        r.add(HttpMethod.GET, "/api/routes", req -> AdminReply.ok(routes.findAll()));
        r.add(HttpMethod.GET, "/api/routes/:id", req -> AdminReply.ok(routes.findById(req.pathParam("id"))
                .orElseThrow(() -> new AdminError(404, "/errors/route-not-found", "route not found", "route not found: " + req.pathParam("id")))));
        r.add(HttpMethod.GET, "/api/routes/:id/health", this::health);
        r.add(HttpMethod.PATCH, "/api/routes/:id", this::update);
        r.add(HttpMethod.DELETE, "/api/routes/:id", req -> {
            routes.delete(req.pathParam("id"));
            live.changed();
            return AdminReply.emptyOk();
        });
    }

    AdminReply create(AdminRequest req) {
        RouteBody b = req.bind(req.json(), RouteBody.class);
        long now = clock.instant().getEpochSecond();
        Route route = validated(new Route(UUID.randomUUID().toString(), now, now, b.name(), b.path(), b.keyIds(), b.steps(),
                b.cacheConfig(), b.retryStrategy(), b.requestFormat(), b.retryOn(), b.fallbacks(), b.budgetFallback(),
                Boolean.TRUE.equals(b.allowStrategyOverride())));
        try {
            routes.insert(route);
        } catch (StoreException e) {
            if (e.uniqueViolation()) throw AdminError.conflict("path is not unique: " + route.path());
            throw e;
        }
        live.changed();
        return AdminReply.ok(route);
    }

    AdminReply update(AdminRequest req) {
        String id = req.pathParam("id");
        JsonNode json = req.json();
        RouteBody b = req.bind(json, RouteBody.class);
        Route old = routes.findById(id).orElseThrow(() -> new AdminError(404, "/errors/route-not-found", "route not found", "route not found: " + id));
        Route merged = validated(new Route(old.id(), old.createdAt(), clock.instant().getEpochSecond(),
                AdminRequest.present(json, "name") ? b.name() : old.name(),
                AdminRequest.present(json, "path") ? b.path() : old.path(),
                AdminRequest.present(json, "keyIds") ? b.keyIds() : old.keyIds(),
                AdminRequest.present(json, "steps") ? b.steps() : old.steps(),
                AdminRequest.present(json, "cacheConfig") ? b.cacheConfig() : old.cacheConfig(),
                AdminRequest.present(json, "retryStrategy") ? b.retryStrategy() : old.retryStrategy(),
                AdminRequest.present(json, "requestFormat") ? b.requestFormat() : old.requestFormat(),
                AdminRequest.present(json, "retryOn") ? b.retryOn() : old.retryOn(),
                AdminRequest.present(json, "fallbacks") ? b.fallbacks() : old.fallbacks(),
                AdminRequest.present(json, "budgetFallback") ? b.budgetFallback() : old.budgetFallback(),
                AdminRequest.present(json, "allowStrategyOverride") ? Boolean.TRUE.equals(b.allowStrategyOverride()) : old.allowStrategyOverride()));
        try {
            routes.update(merged);
        } catch (StoreException e) {
            if (e.uniqueViolation()) throw AdminError.conflict("path is not unique: " + merged.path());
            throw e;
        }
        live.changed();
        return AdminReply.ok(merged);
    }

    /** Every rule of §3.7, answered with 400s; returns the route with its defaults applied. */
    private Route validated(Route r) {
        List<String> invalid = new ArrayList<>();
        if (blank(r.name()) || r.name().length() > MAX_NAME) invalid.add("name");
        if (blank(r.path()) || r.path().length() > MAX_PATH) invalid.add("path");
        if (r.keyIds().isEmpty() || r.keyIds().stream().anyMatch(RouteAdmin::blank)) invalid.add("keyIds");
        if (r.steps().isEmpty()) invalid.add("steps");
        if (!Set.of("", "constant", "exponential").contains(r.retryStrategy())) invalid.add("retryStrategy");
        if (!Set.of("", "openai_embeddings", "openai_chat").contains(r.requestFormat())) invalid.add("requestFormat");
        if (r.retryOn().stream().anyMatch(s -> s == null || s < 400 || s > 599)) invalid.add("retryOn");
        List<RouteStep> steps = new ArrayList<>();
        for (int i = 0; i < r.steps().size(); i++) {
            RouteStep s = r.steps().get(i);
            String f = "steps.[" + i + "].";
            if (s == null) {
                invalid.add(f + "provider");
                continue;
            }
            boolean groupFields = !s.strategy().isEmpty() || s.failureThreshold() != null || !s.failureWindow().isEmpty()
                    || !s.cooldown().isEmpty();
            if (s.name().length() > MAX_NAME) invalid.add(f + "name");
            if (s.isGroup()) {
                group(s, f, invalid);
            } else if (groupFields && blank(s.provider())) {
                invalid.add(f + "targets"); // a group without targets
            } else {
                if (groupFields) {
                    throw AdminError.validation(f + "strategy, failureThreshold, failureWindow and cooldown belong to a step with targets");
                }
                if (blank(s.provider())) invalid.add(f + "provider");
                else if (!stepProviders.contains(s.provider())) {
                    throw AdminError.validation(f + "provider " + s.provider() + " is not supported; steps may use " + stepProviders);
                }
                if (blank(s.model())) invalid.add(f + "model");
            }
            if (s.retries() < 0) invalid.add(f + "retries");
            if (!s.retryInterval().isEmpty() && !positive(s.retryInterval())) invalid.add(f + "retryInterval");
            if (!s.timeout().isEmpty() && !atLeast(s.timeout(), HeaderStage.MIN_TIMEOUT)) invalid.add(f + "timeout");
            // no provider needs step params: Azure's deploymentId defaults to the step's model and its apiVersion to
            // the setting's, then AzureProvider.DEFAULT_API_VERSION (Provider.openAiPath)
            for (Map.Entry<String, JsonNode> p : s.requestParams().entrySet()) {
                if (!validParam(p.getKey(), p.getValue())) invalid.add(f + "requestParams." + p.getKey());
            }
            steps.add(new RouteStep(s.provider(), s.model(), s.retries(), s.retryInterval(),
                    s.timeout().isEmpty() ? "5m" : s.timeout(), s.params(), s.requestParams(), s.name(),
                    s.isGroup() && s.strategy().isEmpty() ? Strategy.WEIGHTED : s.strategy(), s.targets(),
                    s.isGroup() && s.failureThreshold() == null ? Integer.valueOf(RouteStep.DEFAULT_FAILURE_THRESHOLD) : s.failureThreshold(),
                    s.isGroup() && s.failureWindow().isEmpty() ? RouteStep.DEFAULT_FAILURE_WINDOW : s.failureWindow(),
                    s.isGroup() && s.cooldown().isEmpty() ? RouteStep.DEFAULT_COOLDOWN : s.cooldown()));
        }
        Set<String> stepNames = new java.util.HashSet<>();
        for (RouteStep s : steps) {
            if (!s.name().isEmpty() && !stepNames.add(s.name())) throw AdminError.validation("step name " + s.name() + " is used twice");
        }
        for (Map.Entry<String, String> fb : r.fallbacks().entrySet()) {
            if (ErrorClass.ofLabel(fb.getKey()).isEmpty()) {
                throw AdminError.validation("fallbacks." + fb.getKey() + " is not an error class; one of context_window_exceeded, content_policy, rate_limited");
            }
            if (fb.getValue() == null || !stepNames.contains(fb.getValue())) {
                throw AdminError.validation("fallbacks." + fb.getKey() + " names no step of the route: " + fb.getValue());
            }
        }
        Route.BudgetFallback bf = r.budgetFallback();
        if (bf != null) {
            if (bf.percent() == null || !(bf.percent() > 0 && bf.percent() <= 100)) invalid.add("budgetFallback.percent");
            if (bf.step() == null || !stepNames.contains(bf.step())) {
                throw AdminError.validation("budgetFallback.step names no step of the route: " + bf.step());
            }
        }
        Route.CacheConfig cache = r.cacheConfig();
        if (cache == null) {
            invalid.add("cacheConfig");
        } else if (!cache.ttl().isEmpty() && !positive(cache.ttl())) {
            invalid.add("cacheConfig.ttl");
        }
        if (!invalid.isEmpty()) throw AdminError.validation("invalid fields in route: " + String.join(", ", invalid));
        if (!r.path().startsWith("/") || r.path().chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw AdminError.validation("path must start with \"/\" and contain no white space or control characters");
        }
        if (cache.enabled() && !cache.ttl().isEmpty() && GoDuration.parse(cache.ttl()).compareTo(MAX_CACHE_TTL) > 0) {
            throw AdminError.validation("cacheConfig.ttl exceedes 30 days");
        }
        checkKeys(r.keyIds(), steps);
        Route.CacheConfig effective = new Route.CacheConfig(cache.enabled(), cache.enabled() && cache.ttl().isEmpty() ? "168h" : cache.ttl());
        return new Route(r.id(), r.createdAt(), r.updatedAt(), r.name(), r.path(), r.keyIds(), steps, effective,
                r.retryStrategy(), r.requestFormat(), r.retryOn(), r.fallbacks(), r.budgetFallback(), r.allowStrategyOverride());
    }

    /** A target group step: a known strategy, targets on supported providers with positive weights, valid health settings. */
    private void group(RouteStep s, String f, List<String> invalid) {
        if (!blank(s.provider()) || !blank(s.model())) {
            throw AdminError.validation(f + "a step has either provider and model or targets, not both");
        }
        if (!s.strategy().isEmpty() && !Strategy.NAMES.contains(s.strategy())) {
            throw AdminError.validation(f + "strategy " + s.strategy() + " is not known; one of " + new java.util.TreeSet<>(Strategy.NAMES));
        }
        if (s.targets().size() > MAX_TARGETS) invalid.add(f + "targets");
        for (int j = 0; j < s.targets().size(); j++) {
            var t = s.targets().get(j);
            String tf = f + "targets.[" + j + "].";
            if (t == null) {
                invalid.add(tf + "provider");
                continue;
            }
            if (blank(t.provider())) invalid.add(tf + "provider");
            else if (!stepProviders.contains(t.provider())) {
                throw AdminError.validation(tf + "provider " + t.provider() + " is not supported; steps may use " + stepProviders);
            }
            if (blank(t.model())) invalid.add(tf + "model");
            if (t.weight() != null && t.weight() <= 0) throw AdminError.validation(tf + "weight must be a positive integer");
        }
        if (s.failureThreshold() != null && s.failureThreshold() < 1) invalid.add(f + "failureThreshold");
        if (!s.failureWindow().isEmpty() && !positive(s.failureWindow())) invalid.add(f + "failureWindow");
        if (!s.cooldown().isEmpty() && !positive(s.cooldown())) invalid.add(f + "cooldown");
    }

    /** Each target group's targets with their health state, recent failures, latency and requests in flight. */
    AdminReply health(AdminRequest req) {
        String id = req.pathParam("id");
        Route route = routes.findById(id).orElseThrow(() -> new AdminError(404, "/errors/route-not-found", "route not found", "route not found: " + id));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (var e : groups.of(route)) {
            RouteStep s = route.steps().get(e.getKey());
            List<Map<String, Object>> targets = new ArrayList<>();
            for (TargetGroup.TargetHealth h : e.getValue().health()) {
                Map<String, Object> t = new java.util.LinkedHashMap<>();
                t.put("provider", h.target().provider());
                t.put("model", h.target().model());
                if (!h.target().settingId().isEmpty()) t.put("settingId", h.target().settingId());
                t.put("weight", h.target().effectiveWeight());
                t.put("state", h.state().label());
                t.put("recentFailures", h.recentFailures());
                t.put("latencyMs", h.latencyMs());
                t.put("inFlight", h.inFlight());
                targets.add(t);
            }
            Map<String, Object> step = new java.util.LinkedHashMap<>();
            step.put("step", e.getKey() + 1);
            step.put("name", s.name());
            step.put("strategy", e.getValue().strategy());
            step.put("targets", targets);
            steps.add(step);
        }
        return AdminReply.ok(Map.of("routeId", route.id(), "steps", steps));
    }

    private void checkKeys(List<String> keyIds, List<RouteStep> steps) {
        ConfigSnapshot snapshot = live.current();
        for (String id : keyIds) {
            Optional<ApiKey> key = keys.findById(id);
            if (key.isEmpty()) throw AdminError.validation("specified key ids are not found: " + id);
            Set<String> held = new java.util.HashSet<>();
            for (ProviderSetting s : snapshot.settingsOf(key.get())) held.add(s.provider());
            for (RouteStep group : steps) {
                for (var t : group.targets()) {
                    if (!t.settingId().isEmpty() && snapshot.settingsOf(key.get()).stream()
                            .noneMatch(s -> s.id().equals(t.settingId()) && s.provider().equals(t.provider()))) {
                        throw AdminError.validation("key " + id + " has no " + t.provider() + " setting " + t.settingId()
                                + ", which a target of the route uses");
                    }
                }
            }
            for (RouteStep step : new Route("", 0, 0, "", "", List.of(), steps, null, "", "", List.of()).flatSteps()) {
                if (!held.contains(step.provider())) {
                    throw AdminError.validation("key " + id + " has no provider setting for " + step.provider()
                            + ", which a step of the route uses");
                }
            }
        }
    }

    static boolean validParam(String name, JsonNode v) {
        if (NUMERIC_PARAMS.contains(name)) return v.isNumber();
        return switch (name) {
            case "stop" -> v.isArray() && java.util.stream.StreamSupport.stream(v.spliterator(), false).allMatch(JsonNode::isTextual);
            case "logit_bias" -> v.isObject() && java.util.stream.StreamSupport.stream(v.spliterator(), false).allMatch(JsonNode::isNumber);
            case "logprobs" -> v.isBoolean();
            default -> true;
        };
    }

    /** A step timeout under the proxy's minimum could only buy a 504 (and below 1 ms no timer can hold it). */
    private static boolean atLeast(String duration, Duration min) {
        try {
            return GoDuration.parse(duration).compareTo(min) >= 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean positive(String duration) {
        try {
            Duration d = GoDuration.parse(duration);
            return !d.isNegative() && !d.isZero();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
