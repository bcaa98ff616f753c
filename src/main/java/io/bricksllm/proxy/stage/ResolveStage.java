package io.bricksllm.proxy.stage;

import io.bricksllm.provider.Provider;
import io.bricksllm.provider.Providers;
import io.bricksllm.provider.custom.CustomRoutes;
import io.bricksllm.proxy.Endpoint;
import io.bricksllm.proxy.EndpointCatalogue;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.SafePath;
import io.bricksllm.proxy.Stage;
import io.bricksllm.route.RouteRoutes;
import io.vertx.core.Future;

/**
 * The first stage: what the request is for — a route, a custom provider's path, or an endpoint of the catalogue and
 * the provider serving it (none yet for a route, whose steps each name one, or a unified endpoint, whose target stage
 * picks one). An unsafe path is a 400 and an unknown one a 404, refused like any other stage's refusal, so every
 * request ends in the one ending of the pipeline.
 */
public final class ResolveStage implements Stage {
    private final EndpointCatalogue catalogue;
    private final Providers providers;

    public ResolveStage(EndpointCatalogue catalogue, Providers providers) {
        this.catalogue = catalogue;
        this.providers = providers;
    }

    @Override
    public Future<Void> enter(Exchange x) {
        String path = x.request.path();
        if (!SafePath.safe(path)) {
            return Refusal.fail(new Refusal.BadRequest("path segments '.', '..' and encoded separators are not allowed"));
        }
        if (RouteRoutes.handles(path)) {
            RouteRoutes.Resolved r = RouteRoutes.resolve(x.request.method(), path, x.config);
            x.endpoint = r.endpoint();
            x.route = r.route();
            return Future.succeededFuture();
        }
        if (CustomRoutes.handles(path)) {
            CustomRoutes.Resolved r = CustomRoutes.resolve(x.request.method(), path, x.config);
            x.endpoint = r.endpoint();
            x.provider = r.provider();
            return Future.succeededFuture();
        }
        Endpoint endpoint = catalogue.match(x.request.method(), path).orElse(null);
        Provider provider = endpoint == null || endpoint.unified() ? null : providers.get(endpoint.provider()).orElse(null);
        if (endpoint == null || (provider == null && !endpoint.unified())) {
            return Refusal.fail(new Refusal.NotFound("route not supported"));
        }
        x.endpoint = endpoint;
        x.provider = provider;
        return Future.succeededFuture();
    }
}
