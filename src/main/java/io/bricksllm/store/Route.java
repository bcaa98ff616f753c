package io.bricksllm.store;

import java.util.List;

/**
 * A gateway path served by trying steps in order (BEHAVIOUR.md §3.7). {@code retryOn} lists the
 * upstream statuses that count as failure (connection errors and timeouts always do); empty = the default.
 */
public record Route(String id, long createdAt, long updatedAt, String name, String path, List<String> keyIds,
                    List<RouteStep> steps, CacheConfig cacheConfig, String retryStrategy, String requestFormat,
                    List<Integer> retryOn) {

    /** Exact-match response cache of a route; {@code ttl} is a Go duration, at most 30 days. */
    public record CacheConfig(boolean enabled, String ttl) {
        public CacheConfig {
            ttl = ttl == null ? "" : ttl;
        }
    }

    public Route {
        keyIds = keyIds == null ? List.of() : List.copyOf(keyIds);
        steps = steps == null ? List.of() : List.copyOf(steps);
        retryStrategy = retryStrategy == null ? "" : retryStrategy;
        requestFormat = requestFormat == null ? "" : requestFormat;
        retryOn = retryOn == null ? List.of() : List.copyOf(retryOn);
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
