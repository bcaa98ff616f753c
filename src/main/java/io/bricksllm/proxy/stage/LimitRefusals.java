package io.bricksllm.proxy.stage;

import io.bricksllm.limits.Admission;
import io.bricksllm.limits.Level;
import io.bricksllm.limits.LevelLimits;
import io.bricksllm.proxy.Refusal;
import java.util.List;

/**
 * The 429 of each level and kind. The key's and end user's request and budget refusals keep the original's words
 * (SDKs and dashboards match them); the rest name their level: {@code team budget exceeded}.
 */
final class LimitRefusals {
    private LimitRefusals() {}

    static Refusal of(Admission.Refused r, List<LevelLimits> levels) {
        LevelLimits l = levels.stream().filter(x -> x.level() == r.level()).findFirst().orElseThrow();
        String message = message(r, l);
        long wait = r.retryAfterSeconds();
        return switch (r.kind()) {
            case BUDGET -> new Refusal.OverBudget(message, wait);
            case REQUESTS -> new Refusal.RateLimited(message, wait, "rate_limited");
            case TOKENS -> new Refusal.RateLimited(message, wait, "token_limited");
            case CONCURRENCY -> new Refusal.RateLimited(message, wait, "concurrency_limited");
        };
    }

    private static String message(Admission.Refused r, LevelLimits l) {
        String user = r.level() == Level.USER ? " for user: " + l.id() : "";
        return switch (r.kind()) {
            case REQUESTS -> switch (r.level()) {
                case KEY -> "too many requests";
                case USER -> "too many requests" + user;
                case TEAM -> "team rate limit exceeded";
            };
            case BUDGET -> switch (r.level()) {
                case KEY -> "cost limit reached for this key";
                case USER -> "cost limit reached" + user;
                case TEAM -> "team budget exceeded";
            };
            case TOKENS -> r.level().label() + " token limit exceeded" + user;
            case CONCURRENCY -> r.level().label() + " concurrent request limit exceeded (" + l.maxConcurrent() + " in flight)" + user;
        };
    }
}
