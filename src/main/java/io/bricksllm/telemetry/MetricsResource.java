package io.bricksllm.telemetry;

import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.vertx.core.http.HttpMethod;

/**
 * {@code GET /metrics} on the admin port: the Prometheus text format, answered from memory on the event loop
 * (no database, no worker thread), in every telemetry mode. Behind the admin API key like every admin route.
 * Not served (404) when {@code PROMETHEUS_ENABLED=false}.
 */
public final class MetricsResource implements AdminResource {
    public static final String PATH = "/metrics";

    private final Telemetry telemetry;

    public MetricsResource(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        if (!telemetry.prometheusEnabled()) return;
        routes.addDirect(HttpMethod.GET, PATH, ctx -> ctx.response()
                .putHeader("Content-Type", Telemetry.PROMETHEUS_CONTENT_TYPE)
                .putHeader("Cache-Control", "no-store")
                .end(telemetry.scrape()));
    }
}
