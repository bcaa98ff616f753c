package io.bricksllm.proxy.stage;

import io.bricksllm.limits.BudgetLimits;
import io.bricksllm.limits.SpendLedger;
import io.bricksllm.limits.Window;
import io.bricksllm.proxy.Refusal;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * How long a refused caller should wait ({@code Retry-After}, whole seconds, rounded up): until the rate window
 * resets, or until the budget period ends. A total budget never resets: no wait is given, and an SDK that
 * retries at once is refused at once.
 */
final class RetryAfter {
    private RetryAfter() {}

    static long untilWindowEnds(Window window, Instant now) {
        long ms = window.end(now) - now.toEpochMilli();
        return Math.max(1, (ms + 999) / 1000);
    }

    /**
     * A budget refusal with its wait, from the scope's settled spend: a reached total → none; a reached window →
     * until the window ends; neither (money reserved by requests in flight) → 1 s, the time they take to settle.
     * Asked only when refusing; if the ledger cannot say, no wait is given.
     */
    static <T> Future<T> overBudget(SpendLedger ledger, String scope, BudgetLimits limits, Instant now, String message) {
        Future<Long> total = limits.totalMicros() > 0 ? ledger.totalSpent(scope) : Future.succeededFuture(0L);
        Future<Long> window = limits.windowMicros() > 0 ? ledger.windowSpent(scope, limits.window(), now) : Future.succeededFuture(0L);
        return Future.all(total, window).transform(ar -> {
            long seconds = 0;
            if (ar.succeeded()) {
                boolean totalReached = limits.totalMicros() > 0 && total.result() >= limits.totalMicros();
                boolean windowReached = limits.windowMicros() > 0 && window.result() >= limits.windowMicros();
                if (!totalReached) seconds = windowReached ? untilWindowEnds(limits.window(), now) : 1;
            }
            return Refusal.fail(new Refusal.OverBudget(message, seconds));
        });
    }
}
