package io.bricksllm.proxy.stage;

import io.bricksllm.limits.LevelLimits;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.vertx.core.Future;

/**
 * A team, key or end user with a budget may not call a model the gateway cannot price (unless
 * {@code UNPRICED_MODELS=allow}): such a call is recorded at $0, so a budget that an unknown model name bypasses would
 * be no budget. Decided by the same pricing as the answer's (the setting's costMap, then the price book, under the
 * provider that answers: a unified request's model without its prefix, every step of a route), before anything is
 * reserved or sent. Levels without a budget are not affected. Runs after {@link UserStage}, which finds the end user.
 */
public final class UnpricedModelStage implements Stage {
    private final CostEstimator estimator;
    private final boolean allow;

    public UnpricedModelStage(CostEstimator estimator, boolean allow) {
        this.estimator = estimator;
        this.allow = allow;
    }

    @Override
    public Future<Void> enter(Exchange x) {
        if (allow || !x.endpoint.operation().countsAgainstLimits()) return Future.succeededFuture();
        LevelLimits budgeted = AdmissionLevels.of(x).stream().filter(LevelLimits::limitsSpend).findFirst().orElse(null);
        if (budgeted == null) return Future.succeededFuture();
        CostEstimator.Estimate e = estimator.estimate(x);
        return e.unpriced() ? Refusal.fail(refusal(e.unpricedModel(), who(budgeted))) : Future.succeededFuture();
    }

    private static String who(LevelLimits l) {
        return switch (l.level()) {
            case KEY -> "this key";
            case TEAM -> "team: " + l.id();
            case USER -> "user: " + l.id();
        };
    }

    static Refusal refusal(String model, String who) {
        String name = model.length() > 120 ? model.substring(0, 120) + "…" : model;
        return new Refusal.Forbidden("model '" + name + "' has no price, and " + who + " has a budget that a call it cannot price "
                + "would bypass; price it (PRICE_FILE or the provider setting's costMap) or set UNPRICED_MODELS=allow", "unpriced_model");
    }
}
