package io.bricksllm.proxy.stage;

import io.bricksllm.limits.BudgetLimits;
import io.bricksllm.limits.Scopes;
import io.bricksllm.limits.SpendLedger;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.bricksllm.store.ApiKey;
import io.vertx.core.Future;

/**
 * The key's total and windowed spend limits: reserve an upper-bound cost on entry, settle to the real
 * cost on leave (or release it when nothing was spent). A key at its limit gets 429, not revocation.
 */
public final class BudgetStage implements Stage {
    private final SpendLedger ledger;
    private final CostEstimator estimator;

    public BudgetStage(SpendLedger ledger, CostEstimator estimator) {
        this.ledger = ledger;
        this.estimator = estimator;
    }

    /** The key's spend limits as this stage applies them. */
    public static BudgetLimits limits(ApiKey key) {
        return BudgetLimits.of(key.costLimitInUsd(), key.costLimitInUsdOverTime(), key.costLimitInUsdUnit());
    }

    @Override
    public Future<Void> enter(Exchange x) {
        if (!x.endpoint.operation().countsAgainstLimits()) return Future.succeededFuture();
        BudgetLimits limits = limits(x.key);
        if (limits.none()) return Future.succeededFuture();
        String scope = Scopes.key(x.key.keyId());
        return ledger.reserve(scope, estimator.estimateMicros(x), limits, x.receivedAt).compose(r -> {
            if (r.isEmpty()) return RetryAfter.overBudget(ledger, scope, limits, x.receivedAt, "cost limit reached for this key");
            x.reservation = r.get();
            return Future.succeededFuture();
        }, LimitStoreFailures::unavailable);
    }

    @Override
    public void leave(Exchange x, Outcome outcome) {
        if (x.reservation != null) ledger.settle(x.reservation, outcome.costMicros() + x.extraCostMicros);
    }
}
