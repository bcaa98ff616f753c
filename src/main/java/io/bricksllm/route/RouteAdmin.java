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

    record RouteBody(String name, String path, List<String> keyIds, List<RouteStep> steps, Route.CacheConfig cacheConfig,
                     String retryStrategy, String requestFormat, List<Integer> retryOn) {}

    private final RouteRepository routes;
    private final KeyRepository keys;
    /** Every built-in provider, sorted: a step's request is translated for its provider's dialect and answered as OpenAI's. */
    private final List<String> stepProviders;
    private final LiveConfig live;
    private final Clock clock;

    public RouteAdmin(RouteRepository routes, KeyRepository keys, Providers providers, LiveConfig live, Clock clock) {
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
                b.cacheConfig(), b.retryStrategy(), b.requestFormat(), b.retryOn()));
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
                AdminRequest.present(json, "retryOn") ? b.retryOn() : old.retryOn()));
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
            if (blank(s.provider())) invalid.add(f + "provider");
            else if (!stepProviders.contains(s.provider())) {
                throw AdminError.validation(f + "provider " + s.provider() + " is not supported; steps may use " + stepProviders);
            }
            if (blank(s.model())) invalid.add(f + "model");
            if (s.retries() < 0) invalid.add(f + "retries");
            if (!s.retryInterval().isEmpty() && !positive(s.retryInterval())) invalid.add(f + "retryInterval");
            if (!s.timeout().isEmpty() && !atLeast(s.timeout(), HeaderStage.MIN_TIMEOUT)) invalid.add(f + "timeout");
            // no provider needs step params: Azure's deploymentId defaults to the step's model and its apiVersion to
            // the setting's, then AzureProvider.DEFAULT_API_VERSION (Provider.openAiPath)
            for (Map.Entry<String, JsonNode> p : s.requestParams().entrySet()) {
                if (!validParam(p.getKey(), p.getValue())) invalid.add(f + "requestParams." + p.getKey());
            }
            steps.add(new RouteStep(s.provider(), s.model(), s.retries(), s.retryInterval(),
                    s.timeout().isEmpty() ? "5m" : s.timeout(), s.params(), s.requestParams()));
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
                r.retryStrategy(), r.requestFormat(), r.retryOn());
    }

    private void checkKeys(List<String> keyIds, List<RouteStep> steps) {
        ConfigSnapshot snapshot = live.current();
        for (String id : keyIds) {
            Optional<ApiKey> key = keys.findById(id);
            if (key.isEmpty()) throw AdminError.validation("specified key ids are not found: " + id);
            Set<String> held = new java.util.HashSet<>();
            for (ProviderSetting s : snapshot.settingsOf(key.get())) held.add(s.provider());
            for (RouteStep step : steps) {
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
