package io.bricksllm.route;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bricksllm.limits.RedisConnector;
import io.bricksllm.store.Json;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** The scale-out response cache: shared by every instance in Redis, each entry with its route's TTL. */
public final class RedisResponseCache implements ResponseCache {
    private static final String PREFIX = "bricks:cache:";

    private record Stored(@JsonProperty("s") int status, @JsonProperty("t") String contentType, @JsonProperty("b") String body) {}

    private final RedisConnector redis;

    public RedisResponseCache(RedisConnector redis) {
        this.redis = redis;
    }

    @Override
    public Future<Optional<CachedResponse>> get(String key) {
        return redis.send(Request.cmd(Command.GET).arg(PREFIX + key)).map(r -> {
            if (r == null) return Optional.empty();
            Stored s = Json.read(r.toString(), Stored.class);
            return Optional.of(new CachedResponse(s.status(), s.contentType(), Base64.getDecoder().decode(s.body())));
        });
    }

    @Override
    public Future<Void> put(String key, CachedResponse response, Duration ttl) {
        String value = Json.write(new Stored(response.status(), response.contentType(), Base64.getEncoder().encodeToString(response.body())));
        return redis.send(Request.cmd(Command.SET).arg(PREFIX + key).arg(value).arg("PX").arg(Math.max(1, ttl.toMillis()))).mapEmpty();
    }
}
