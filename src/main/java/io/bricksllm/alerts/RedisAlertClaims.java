package io.bricksllm.alerts;

import io.bricksllm.limits.RedisConnector;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Instant;

/**
 * Claims shared by every instance: {@code SET bricks:alert:<id> <now> NX [PX <ms until expiry>]}; whoever sets the key
 * sends. A total-budget claim has no expiry (its key names the limit, so a raised limit is a new claim). Redis losing
 * its data (restart without persistence, FLUSHALL) forgets the claims: a threshold still crossed is then sent again.
 */
public final class RedisAlertClaims implements AlertClaims {
    static final String PREFIX = "bricks:alert:";

    private final RedisConnector redis;

    public RedisAlertClaims(RedisConnector redis) {
        this.redis = redis;
    }

    @Override
    public Future<Boolean> claim(String id, long expiresAtMillis, Instant now) {
        Request set = Request.cmd(Command.SET).arg(PREFIX + id).arg(now.toEpochMilli()).arg("NX");
        if (expiresAtMillis != Long.MAX_VALUE) {
            long ttl = expiresAtMillis - now.toEpochMilli();
            if (ttl <= 0) return Future.succeededFuture(false); // the period is over: nothing left to claim
            set.arg("PX").arg(ttl);
        }
        return redis.send(set).map(r -> r != null && "OK".equals(r.toString()));
    }
}
