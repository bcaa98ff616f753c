package io.bricksllm.route;

import io.bricksllm.config.GoDuration;
import io.bricksllm.store.Route;
import io.bricksllm.store.RouteStep;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a route attempt counts as failed, and how long to wait before the next one. Connection errors,
 * timeouts and the route's {@code retryOn} statuses (default 408, 429, 5xx) are retried and failed over;
 * any other 4xx is the answer (retrying a bad request only costs money).
 */
public final class RetryPolicy {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    static final Duration EXPONENTIAL_INITIAL = Duration.ofMillis(500);
    static final Duration EXPONENTIAL_CAP = Duration.ofSeconds(60);
    static final double MULTIPLIER = 1.5;

    private final RandomGenerator random;

    public RetryPolicy(RandomGenerator random) {
        this.random = random;
    }

    public static boolean retryable(Route route, int status) {
        return route.failsOverOn(status);
    }

    /**
     * Delay before retry number {@code retry} (1 = the first retry) of a step: the step's interval for the
     * constant strategy; for exponential, initial × 1.5^(retry−1) ±50% jitter, capped at 60 s, where the
     * initial delay is the step's interval when set.
     */
    public Duration delay(Route route, RouteStep step, int retry) {
        Duration interval = step.retryInterval().isEmpty() ? null : GoDuration.parse(step.retryInterval());
        if (!"exponential".equals(route.retryStrategy())) return interval == null ? DEFAULT_INTERVAL : interval;
        double base = (interval == null ? EXPONENTIAL_INITIAL : interval).toNanos() * Math.pow(MULTIPLIER, retry - 1);
        double jittered = base * (0.5 + random.nextDouble());
        return Duration.ofNanos((long) Math.min(jittered, EXPONENTIAL_CAP.toNanos()));
    }
}
