package io.bricksllm.limits;

import java.time.Instant;
import java.util.Collections;
import java.util.List;

class MemoryRateLimiterTest extends RateLimiterContract {
    @Override
    protected List<RateLimiter> gateways(int n) {
        return Collections.nCopies(n, new MemoryRateLimiter());
    }

    @Override
    protected long count(RateLimiter limiter, String scope, Window window, Instant now) {
        return ((MemoryRateLimiter) limiter).count(scope, window, now);
    }
}
