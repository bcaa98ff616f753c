package io.bricksllm.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A gateway path served by trying steps in order (BEHAVIOUR.md §3.7). {@code retryOn} lists the
 * upstream statuses that count as failure (connection errors and timeouts always do); empty = the default.
 * {@code fallbacks} (error class → step name), {@code budgetFallback} and {@code allowStrategyOverride} are the smart
 * routing of issue 22; absent, the route behaves as before.
 */
public record Route(String id, long createdAt, long updatedAt, String name, String path, List<String> keyIds,
                    List<RouteStep> steps, CacheConfig cacheConfig, String retryStrategy, String requestFormat,
                    List<Integer> retryOn,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> fallbacks,
                    @JsonInclude(JsonInclude.Include.NON_NULL) BudgetFallback budgetFallback,
                    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowStrategyOverride) {

    /** Exact-match response cache of a route; {@code ttl} is a Go duration, at most 30 days. */
    public record CacheConfig(boolean enabled, String ttl) {
        public CacheConfig {
            ttl = ttl == null ? "" : ttl;
        }
    }

    /** Start at step {@code step} once the key's (or its team's) spend in its budget period passes {@code percent}. */
    public record BudgetFallback(Double percent, String step) {}

    /** The routing options stored together (the {@code routing} column of V18). */
    public record Routing(Map<String, String> fallbacks, BudgetFallback budgetFallback, boolean allowStrategyOverride) {}

    public Route {
        keyIds = keyIds == null ? List.of() : List.copyOf(keyIds);
        steps = steps == null ? List.of() : List.copyOf(steps);
        retryStrategy = retryStrategy == null ? "" : retryStrategy;
        requestFormat = requestFormat == null ? "" : requestFormat;
        retryOn = retryOn == null ? List.of() : List.copyOf(retryOn);
        // null values are kept for validation to refuse with a 400 (Map.copyOf would throw)
        fallbacks = fallbacks == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fallbacks));
    }

    /** A route without smart-routing options. */
    public Route(String id, long createdAt, long updatedAt, String name, String path, List<String> keyIds,
                 List<RouteStep> steps, CacheConfig cacheConfig, String retryStrategy, String requestFormat,
                 List<Integer> retryOn) {
        this(id, createdAt, updatedAt, name, path, keyIds, steps, cacheConfig, retryStrategy, requestFormat, retryOn,
                Map.of(), null, false);
    }

    @JsonIgnore
    public Routing routing() {
        return new Routing(fallbacks, budgetFallback, allowStrategyOverride);
    }

    /** Index of the step named {@code name}, -1 when none. */
    public int stepIndex(String name) {
        for (int i = 0; i < steps.size(); i++) if (!name.isEmpty() && steps.get(i).name().equals(name)) return i;
        return -1;
    }

    /**
     * Every deployment the route may send to, as plain steps (a group's targets each with the group's retries and
     * timeout): what admission checks (settings, allowed models, price estimates) look at.
     */
    @JsonIgnore
    public List<RouteStep> flatSteps() {
        if (steps.stream().noneMatch(RouteStep::isGroup)) return steps;
        List<RouteStep> flat = new ArrayList<>();
        for (RouteStep s : steps) {
            for (RouteTarget t : s.targetsOrSelf()) {
                flat.add(new RouteStep(t.provider(), t.model(), s.retries(), s.retryInterval(), s.timeout(), t.params(), s.requestParams()));
            }
        }
        return flat;
    }

    /**
     * Whether an attempt answered with {@code status} fails over: the statuses of {@code retryOn}, or by default a
     * timeout (408), a rate limit (429) and every 5xx — Anthropic's 529 "overloaded" included, the commonest reason to
     * leave a provider.
     */
    public boolean failsOverOn(int status) {
        return retryOn.isEmpty() ? status == 408 || status == 429 || (status >= 500 && status <= 599) : retryOn.contains(status);
    }
}
