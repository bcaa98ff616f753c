package io.bricksllm.route;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/** Exact-match cache of route answers: in-process (embedded) or Redis (scale-out). Never blocks. */
public interface ResponseCache {
    Future<Optional<CachedResponse>> get(String key);

    Future<Void> put(String key, CachedResponse response, Duration ttl);
}
