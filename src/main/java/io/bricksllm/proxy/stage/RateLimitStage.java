package io.bricksllm.proxy.stage;

import io.bricksllm.limits.RateLimiter;
import io.bricksllm.limits.Scopes;
import io.bricksllm.limits.Window;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.bricksllm.store.ApiKey;
import io.vertx.core.Future;

/** The key's request-count limit, taken atomically at admission and given back if a later stage refuses. */
public final class RateLimitStage implements Stage {
    private final RateLimiter limiter;

    public RateLimitStage(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /** The window this stage counts the key's requests in; null when it counts none (no limit, a unit it does not take). */
    public static Window window(ApiKey key) {
        if (key.rateLimitOverTime() <= 0) return null;
        Window window = Window.ofUnit(key.rateLimitUnit()).orElse(null);
        return window == Window.MONTH ? null : window;
    }

    @Override
    public Future<Void> enter(Exchange x) {
        if (!x.endpoint.operation().countsAgainstLimits()) return Future.succeededFuture();
        Window window = window(x.key);
        if (window == null) return Future.succeededFuture();
        int limit = x.key.rateLimitOverTime();
        return limiter.acquire(Scopes.key(x.key.keyId()), limit, window, x.receivedAt).compose(a -> {
            if (a.counted()) RateLimitHeaders.announce(x, limit, a.count(), window);
            if (!a.admitted()) return Refusal.fail(new Refusal.RateLimited("too many requests", RetryAfter.untilWindowEnds(window, x.receivedAt)));
            x.rateWindow = window;
            return Future.succeededFuture();
        }, LimitStoreFailures::unavailable);
    }

    @Override
    public void leave(Exchange x, Outcome outcome) {
        if (x.rateWindow != null && outcome.refusal() != null && admissionRefusal(outcome.refusal())) {
            limiter.release(Scopes.key(x.key.keyId()), x.rateWindow, x.receivedAt);
        }
    }

    /** Refusals by the gateway itself after this stage; upstream failures still count as requests. */
    private static boolean admissionRefusal(Refusal r) {
        return !(r instanceof Refusal.UpstreamTimeout) && !(r instanceof Refusal.UpstreamUnreachable);
    }
}
