package io.bricksllm.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One deployment of a target group (issue 22): a provider and model, optionally a particular provider setting of the
 * key ({@code settingId}; default: the key's setting for the provider), a weight (default 1) and provider parameters.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RouteTarget(String provider, String model, String settingId, Integer weight, Map<String, String> params) {
    public RouteTarget {
        provider = provider == null ? "" : provider;
        model = model == null ? "" : model;
        settingId = settingId == null ? "" : settingId;
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** The weight a strategy uses: 1 when none was given. */
    public int effectiveWeight() {
        return weight == null ? 1 : weight;
    }
}
