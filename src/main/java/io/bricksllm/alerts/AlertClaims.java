package io.bricksllm.alerts;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Who sends an alert: the first caller to claim its id, in this process ({@link MemoryAlertClaims}) or among every
 * instance sharing a Redis ({@link RedisAlertClaims}). A claim lasts until {@code expiresAtMillis} (epoch ms;
 * {@link Long#MAX_VALUE} = for good), after which the same id may be claimed again.
 */
public interface AlertClaims {
    /** True for the one caller that claimed {@code id}; false when it was already claimed; failed when unknown. */
    Future<Boolean> claim(String id, long expiresAtMillis, Instant now);
}
