package io.bricksllm.proxy.stage;

import io.bricksllm.config.GoDuration;
import io.bricksllm.limits.LevelUsage;
import io.bricksllm.limits.Window;
import io.bricksllm.proxy.Exchange;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;

/**
 * OpenAI's {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} headers of the tightest applicable limit — of
 * all levels (team, key, end user) the one with the least remaining, the smaller limit on a tie — from what admission
 * counted (no store call of their own). Written as the answer's head goes out, whatever writes it — a relayed answer,
 * a route's, a local one or a refusal — replacing the upstream's of the same names: the caller's limits are the
 * gateway's.
 */
final class RateLimitHeaders {
    static final String LIMIT = "x-ratelimit-limit-requests";
    static final String REMAINING = "x-ratelimit-remaining-requests";
    static final String RESET = "x-ratelimit-reset-requests";
    static final String LIMIT_TOKENS = "x-ratelimit-limit-tokens";
    static final String REMAINING_TOKENS = "x-ratelimit-remaining-tokens";
    static final String RESET_TOKENS = "x-ratelimit-reset-tokens";

    private RateLimitHeaders() {}

    /** One limit as a header trio shows it: {@code used} includes this request when it was admitted. */
    record Tightest(long limit, long used, Window window) {
        long remaining() {
            return Math.max(0, limit - used);
        }

        static Tightest of(Tightest a, long limit, long used, Window window) {
            if (limit <= 0 || used < 0 || window == null) return a;
            Tightest b = new Tightest(limit, used, window);
            if (a == null) return b;
            if (b.remaining() != a.remaining()) return b.remaining() < a.remaining() ? b : a;
            return b.limit < a.limit ? b : a;
        }
    }

    static void announce(Exchange x, List<LevelUsage> usage) {
        Tightest requests = null;
        Tightest tokens = null;
        for (LevelUsage u : usage) {
            requests = Tightest.of(requests, u.limits().requests(), u.requestsUsed(), u.limits().requestWindow());
            tokens = Tightest.of(tokens, u.limits().tokens(), u.tokensUsed(), u.limits().tokenWindow());
        }
        if (requests == null && tokens == null) return;
        Tightest r = requests;
        Tightest t = tokens;
        x.request.response().headersEndHandler(v -> {
            // the reset is counted from when the head goes out, not from admission: a slow answer leaves less
            long now = x.receivedAt.toEpochMilli() + (System.nanoTime() - x.startNanos) / 1_000_000;
            MultiMap h = x.request.response().headers();
            if (r != null) write(h, LIMIT, REMAINING, RESET, r, x, now);
            if (t != null) write(h, LIMIT_TOKENS, REMAINING_TOKENS, RESET_TOKENS, t, x, now);
        });
    }

    private static void write(MultiMap h, String limit, String remaining, String reset, Tightest l, Exchange x, long now) {
        h.set(limit, Long.toString(l.limit));
        h.set(remaining, Long.toString(l.remaining()));
        h.set(reset, GoDuration.format(Duration.ofMillis(Math.max(0, l.window.end(x.receivedAt) - now))));
    }
}
