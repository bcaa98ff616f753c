package io.bricksllm.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One step of a route: which provider and model answer, how often to retry and how long each attempt
 * may take. {@code params} carries provider parameters (Azure: deploymentId, apiVersion);
 * {@code requestParams} override the caller's sampling parameters.
 *
 * <p>A step may instead be a target group (issue 22): {@code targets} balanced by {@code strategy}, each taken out of
 * rotation for {@code cooldown} after {@code failureThreshold} failures within {@code failureWindow}. {@code name} is
 * what a route's fallbacks refer to. The new fields are left out of JSON when unset, so old routes read and write
 * exactly as before.
 */
public record RouteStep(String provider, String model, int retries, String retryInterval, String timeout,
                        Map<String, String> params, Map<String, JsonNode> requestParams,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) String name,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) String strategy,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RouteTarget> targets,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Integer failureThreshold,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) String failureWindow,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) String cooldown) {
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    public static final String DEFAULT_FAILURE_WINDOW = "60s";
    public static final String DEFAULT_COOLDOWN = "30s";

    public RouteStep {
        provider = provider == null ? "" : provider;
        model = model == null ? "" : model;
        retryInterval = retryInterval == null ? "" : retryInterval;
        timeout = timeout == null ? "" : timeout;
        params = params == null ? Map.of() : Map.copyOf(params);
        requestParams = requestParams == null ? Map.of() : Map.copyOf(requestParams);
        name = name == null ? "" : name;
        strategy = strategy == null ? "" : strategy;
        targets = targets == null ? List.of() : List.copyOf(targets);
        failureWindow = failureWindow == null ? "" : failureWindow;
        cooldown = cooldown == null ? "" : cooldown;
    }

    /** A plain step (one provider and model), as routes had before target groups. */
    public RouteStep(String provider, String model, int retries, String retryInterval, String timeout,
                     Map<String, String> params, Map<String, JsonNode> requestParams) {
        this(provider, model, retries, retryInterval, timeout, params, requestParams, "", "", List.of(), null, "", "");
    }

    @JsonIgnore
    public boolean isGroup() {
        return !targets.isEmpty();
    }

    /** What this step may send to: its targets, or for a plain step its own provider and model. */
    @JsonIgnore
    public List<RouteTarget> targetsOrSelf() {
        return isGroup() ? targets : List.of(new RouteTarget(provider, model, "", 1, params));
    }

    /** This step with {@code targets} and the other group fields as given (validation fills in defaults). */
    public RouteStep withGroup(String strategy, List<RouteTarget> targets, Integer failureThreshold, String failureWindow,
                               String cooldown) {
        return new RouteStep(provider, model, retries, retryInterval, timeout, params, requestParams, name, strategy, targets,
                failureThreshold, failureWindow, cooldown);
    }
}
