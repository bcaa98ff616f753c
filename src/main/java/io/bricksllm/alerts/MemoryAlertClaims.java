package io.bricksllm.alerts;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-process claims for the embedded mode (one instance). Memory stays bounded: a period's claims are dropped once
 * the period (plus grace) is over, looked for every {@link #PURGE_EVERY} claims; only total-budget claims stay,
 * a few per budget. A restart forgets every claim (see {@link SpendAlerts}).
 */
public final class MemoryAlertClaims implements AlertClaims {
    static final int PURGE_EVERY = 1_024;

    private final ConcurrentHashMap<String, Long> claims = new ConcurrentHashMap<>();
    private final AtomicInteger sincePurge = new AtomicInteger();

    @Override
    public Future<Boolean> claim(String id, long expiresAtMillis, Instant now) {
        long nowMs = now.toEpochMilli();
        if (sincePurge.incrementAndGet() >= PURGE_EVERY) {
            sincePurge.set(0);
            purge(nowMs);
        }
        boolean[] won = {false};
        claims.compute(id, (k, until) -> {
            if (until != null && until > nowMs) return until;
            won[0] = true;
            return expiresAtMillis;
        });
        return Future.succeededFuture(won[0]);
    }

    void purge(long nowMs) {
        claims.values().removeIf(until -> until <= nowMs);
    }

    /** Claims held (tests: memory stays bounded). */
    int size() {
        return claims.size();
    }
}
