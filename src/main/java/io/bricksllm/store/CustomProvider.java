package io.bricksllm.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/** A user-defined upstream, as stored and shown by the admin API (snake_case, as the original). */
public record CustomProvider(
        String id,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("updated_at") long updatedAt,
        String provider,
        @JsonProperty("route_configs") List<RouteConfig> routeConfigs,
        @JsonProperty("authentication_param") String authenticationParam) {

    public CustomProvider {
        routeConfigs = routeConfigs == null ? List.of() : List.copyOf(routeConfigs);
        authenticationParam = authenticationParam == null ? "" : authenticationParam;
    }

    public Optional<RouteConfig> route(String path) {
        return routeConfigs.stream().filter(r -> r.path().equals(path)).findFirst();
    }
}
