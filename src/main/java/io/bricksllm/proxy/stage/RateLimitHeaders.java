package io.bricksllm.proxy.stage;

import io.bricksllm.config.GoDuration;
import io.bricksllm.limits.Window;
import io.bricksllm.proxy.Exchange;
import io.vertx.core.MultiMap;
import java.time.Duration;

/**
 * OpenAI's {@code x-ratelimit-*-requests} headers for the key's own request-rate limit, from what admission counted
 * (no store call of their own). Written as the answer's head goes out, whatever writes it — a relayed answer, a
 * route's, a local one or a refusal — replacing the upstream's of the same names: the caller's limit is the key's.
 */
final class RateLimitHeaders {
    static final String LIMIT = "x-ratelimit-limit-requests";
    static final String REMAINING = "x-ratelimit-remaining-requests";
    static final String RESET = "x-ratelimit-reset-requests";

    private RateLimitHeaders() {}

    /** @param count the window's count after this request's admission (this request included when admitted) */
    static void announce(Exchange x, long limit, long count, Window window) {
        long remaining = Math.max(0, limit - count);
        long windowEnd = window.end(x.receivedAt);
        x.request.response().headersEndHandler(v -> {
            // the reset is counted from when the head goes out, not from admission: a slow answer leaves less
            long now = x.receivedAt.toEpochMilli() + (System.nanoTime() - x.startNanos) / 1_000_000;
            MultiMap h = x.request.response().headers();
            h.set(LIMIT, Long.toString(limit));
            h.set(REMAINING, Long.toString(remaining));
            h.set(RESET, GoDuration.format(Duration.ofMillis(Math.max(0, windowEnd - now))));
        });
    }
}
