package io.bricksllm.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One step of a route: which provider and model answer, how often to retry and how long each attempt
 * may take. {@code params} carries provider parameters (Azure: deploymentId, apiVersion);
 * {@code requestParams} override the caller's sampling parameters.
 */
public record RouteStep(String provider, String model, int retries, String retryInterval, String timeout,
                        Map<String, String> params, Map<String, JsonNode> requestParams) {
    public RouteStep {
        provider = provider == null ? "" : provider;
        model = model == null ? "" : model;
        retryInterval = retryInterval == null ? "" : retryInterval;
        timeout = timeout == null ? "" : timeout;
        params = params == null ? Map.of() : Map.copyOf(params);
        requestParams = requestParams == null ? Map.of() : Map.copyOf(requestParams);
    }
}
