package io.bricksllm.route;

import io.bricksllm.proxy.BodyKind;
import io.bricksllm.proxy.Endpoint;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.store.ConfigSnapshot;
import io.bricksllm.store.Route;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;

/** Resolves {@code POST /api/routes/{path}} (and the documented {@code /api/route/{path}}) to a route. */
public final class RouteRoutes {
    /** The template allowedPaths compare against, as the original registered it. */
    public static final String TEMPLATE = "/api/routes/*route";
    private static final String[] PREFIXES = {"/api/routes", "/api/route"};

    public record Resolved(Endpoint endpoint, Route route) {}

    private RouteRoutes() {}

    public static boolean handles(String path) {
        return path.startsWith("/api/routes/") || path.startsWith("/api/route/");
    }

    /** @throws Refusal.Refused 404 when no route has this path */
    public static Resolved resolve(HttpMethod method, String path, ConfigSnapshot config) {
        String routePath = path;
        for (String p : PREFIXES) {
            if (path.startsWith(p + "/")) {
                routePath = path.substring(p.length());
                break;
            }
        }
        Route route = config.routesByPath().get(routePath);
        if (route == null || method != HttpMethod.POST) throw new Refusal.Refused(new Refusal.NotFound("route not found"));
        return new Resolved(new Endpoint(HttpMethod.POST, TEMPLATE, "route", BodyKind.JSON, operationOf(route), false), route);
    }

    /** Embeddings when the route says so, or when its first model is an embedding model; chat otherwise. */
    static Operation operationOf(Route route) {
        if ("openai_embeddings".equals(route.requestFormat())) return Operation.EMBEDDINGS;
        if ("openai_chat".equals(route.requestFormat()) || route.steps().isEmpty()) return Operation.CHAT;
        String model = route.flatSteps().get(0).model().toLowerCase(Locale.ROOT);
        return model.contains("embedding") || model.contains("ada") ? Operation.EMBEDDINGS : Operation.CHAT;
    }
}
