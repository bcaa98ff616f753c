package io.bricksllm.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/** The embedded mode's response cache: bounded by bytes, each entry with its route's TTL. */
public final class MemoryResponseCache implements ResponseCache {
    private record Entry(CachedResponse response, long ttlNanos) {}

    private final Cache<String, Entry> cache;

    public MemoryResponseCache(long maxBytes, Ticker ticker) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String k, Entry e) -> k.length() + e.response().body().length + 64)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry e, long now) {
                        return e.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry e, long now, long current) {
                        return e.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Entry e, long now, long current) {
                        return current;
                    }
                })
                .ticker(ticker)
                .build();
    }

    @Override
    public Future<Optional<CachedResponse>> get(String key) {
        Entry e = cache.getIfPresent(key);
        return Future.succeededFuture(Optional.ofNullable(e == null ? null : e.response()));
    }

    @Override
    public Future<Void> put(String key, CachedResponse response, Duration ttl) {
        cache.put(key, new Entry(response, ttl.toNanos()));
        return Future.succeededFuture();
    }
}
