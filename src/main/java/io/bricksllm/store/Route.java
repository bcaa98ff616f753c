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

    public static final List<Integer> DEFAULT_RETRY_ON = List.of(408, 429, 500, 502, 503, 504);

    public Route {
        keyIds = keyIds == null ? List.of() : List.copyOf(keyIds);
        steps = steps == null ? List.of() : List.copyOf(steps);
        retryStrategy = retryStrategy == null ? "" : retryStrategy;
        requestFormat = requestFormat == null ? "" : requestFormat;
        retryOn = retryOn == null ? List.of() : List.copyOf(retryOn);
    }

    public List<Integer> effectiveRetryOn() {
        return retryOn.isEmpty() ? DEFAULT_RETRY_ON : retryOn;
    }
}
