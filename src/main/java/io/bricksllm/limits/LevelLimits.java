package io.bricksllm.limits;

/**
 * One level's limits as one request meets them; 0 or a null window = no such limit. {@code scope} names the level's
 * counters ({@link Scopes}); the same scope always means the same counters, whichever request or instance asks.
 */
public record LevelLimits(Level level, String id, String scope, long requests, Window requestWindow, long tokens,
                          Window tokenWindow, BudgetLimits budget, int maxConcurrent) {

    public LevelLimits {
        if (requestWindow == null) requests = 0;
        if (tokenWindow == null) tokens = 0;
        if (budget == null) budget = new BudgetLimits(0, 0, null);
        if (requests <= 0) requestWindow = null;
        if (tokens <= 0) tokenWindow = null;
        maxConcurrent = Math.max(0, maxConcurrent);
    }

    public boolean limitsRequests() {
        return requests > 0;
    }

    public boolean limitsTokens() {
        return tokens > 0;
    }

    public boolean limitsSpend() {
        return !budget.none();
    }

    public boolean limitsConcurrency() {
        return maxConcurrent > 0;
    }

    /** Nothing to count at this level. */
    public boolean none() {
        return !limitsRequests() && !limitsTokens() && !limitsSpend() && !limitsConcurrency();
    }
}
