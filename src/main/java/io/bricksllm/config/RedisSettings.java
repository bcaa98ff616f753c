package io.bricksllm.config;

import java.time.Duration;

/** Connection settings for shared counters and caches (REDIS_* variables). */
public record RedisSettings(String host, int port, String username, String password, int dbStartIndex,
                            Duration readTimeout) {
    @Override
    public String toString() {
        return "redis://" + host + ":" + port + "/" + dbStartIndex;
    }
}
