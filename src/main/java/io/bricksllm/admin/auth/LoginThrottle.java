package io.bricksllm.admin.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * Slows down password guessing: after {@link #MAX_FAILURES} wrong passwords from one address within {@link #WINDOW},
 * that address is refused until the window since its first failure has passed. Per instance (a guesser spread over
 * several instances gets a few more tries each); bounded, so many addresses cannot fill the memory.
 */
public final class LoginThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);

    private record Failures(long firstMillis, int count) {}

    private final Clock clock;
    private final Cache<String, Failures> failures = Caffeine.newBuilder().maximumSize(10_000).build();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Seconds to wait before the next try from {@code address}; 0 = it may try now. */
    public long retryAfterSeconds(String address) {
        Failures f = failures.getIfPresent(address);
        if (f == null || f.count() < MAX_FAILURES) return 0;
        long left = f.firstMillis() + WINDOW.toMillis() - clock.millis();
        if (left <= 0) {
            failures.invalidate(address);
            return 0;
        }
        return (left + 999) / 1000;
    }

    public void failed(String address) {
        long now = clock.millis();
        failures.asMap().compute(address, (a, f) -> f == null || now - f.firstMillis() > WINDOW.toMillis()
                ? new Failures(now, 1) : new Failures(f.firstMillis(), f.count() + 1));
    }

    public void succeeded(String address) {
        failures.invalidate(address);
    }
}
