package io.bricksllm.provider.custom;

import io.bricksllm.proxy.BodyKind;
import io.bricksllm.proxy.Endpoint;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.store.ConfigSnapshot;
import io.bricksllm.store.CustomProvider;
import io.bricksllm.store.RouteConfig;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Resolves {@code POST /api/custom/providers/:provider/*} to the provider's route configuration. */
public final class CustomRoutes {
    public static final String PREFIX = "/api/custom/providers/";
    /** The template allowedPaths compare against, as the original registered it. */
    public static final String TEMPLATE = "/api/custom/providers/:provider/*wildcard";

    public record Resolved(Endpoint endpoint, Map<String, String> params, CustomProviderAdapter provider) {}

    private CustomRoutes() {}

    public static boolean handles(String path) {
        return path.startsWith(PREFIX);
    }

    /** @throws Refusal.Refused 404 for an unknown provider or route */
    public static Resolved resolve(HttpMethod method, String path, ConfigSnapshot config) {
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String name = (slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(Locale.ROOT);
        String routePath = slash < 0 ? "/" : rest.substring(slash);
        CustomProvider provider = config.customProvidersByName().get(name);
        if (provider == null || method != HttpMethod.POST) {
            throw new Refusal.Refused(new Refusal.NotFound("requested custom provider is not found"));
        }
        Optional<RouteConfig> route = provider.route(routePath);
        if (route.isEmpty()) throw new Refusal.Refused(new Refusal.NotFound("route config is not found"));
        Endpoint endpoint = new Endpoint(HttpMethod.POST, TEMPLATE, name, BodyKind.JSON, Operation.CUSTOM, false);
        return new Resolved(endpoint, Map.of("provider", name, "wildcard", routePath), new CustomProviderAdapter(provider, route.get()));
    }
}
