package io.bricksllm.proxy.stage;

import io.bricksllm.config.GoDuration;
import io.bricksllm.limits.BudgetLimits;
import io.bricksllm.limits.RateLimiter;
import io.bricksllm.limits.SpendLedger;
import io.bricksllm.limits.Window;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.bricksllm.store.EndUser;
import io.bricksllm.store.PathConfig;
import io.bricksllm.store.RouteStep;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * End-user checks (BEHAVIOUR.md §5.7, §6.3), at admission like the key's: when the request carries a user id
 * that resolves to exactly one user in the key's tag scope, that user's revocation, TTL, allowed models (a route's
 * step models) and
 * paths, request-count limit (atomic; every request counts, priced or not) and budget (reserve-then-settle)
 * apply. Scopes are {@code user:<internal id>}. A user id that matches no user, or several, is not checked.
 */
public final class UserStage implements Stage {
    private final RateLimiter limiter;
    private final SpendLedger ledger;
    private final CostEstimator estimator;
    private final boolean allowUnpriced;

    /** {@code allowUnpriced}: whether a user with a budget may call a model that cannot be priced ({@code UNPRICED_MODELS}). */
    public UserStage(RateLimiter limiter, SpendLedger ledger, CostEstimator estimator, boolean allowUnpriced) {
        this.limiter = limiter;
        this.ledger = ledger;
        this.estimator = estimator;
        this.allowUnpriced = allowUnpriced;
    }

    static String scope(EndUser u) {
        return "user:" + u.id();
    }

    @Override
    public Future<Void> enter(Exchange x) {
        EndUser user = x.config.userFor(x.info.userId(), x.key).orElse(null);
        if (user == null) return Future.succeededFuture();
        x.user = user;
        String uid = user.userId();
        if (user.revoked()) return Refusal.fail(new Refusal.Unauthorized("user is revoked: " + uid));
        if (expired(user, x.receivedAt)) return Refusal.fail(new Refusal.Unauthorized("user is revoked: " + uid + " (ttl expired)"));
        if (!user.allowedModels().isEmpty()) {
            // a route answers with its steps' models, whatever the body names: each of them must be allowed
            List<String> models = x.route != null ? x.route.steps().stream().map(RouteStep::model).toList() : List.of(x.info.model());
            for (String model : models) {
                if (!user.allowedModels().contains(model)) {
                    return Refusal.fail(new Refusal.Forbidden("model: " + model + " forbidden for user: " + uid,
                            "user_requested_model_not_allowed"));
                }
            }
        }
        List<PathConfig> paths = user.allowedPaths();
        if (paths != null && !paths.isEmpty()) {
            String template = x.endpoint.template();
            String method = x.request.method().name();
            if (paths.stream().noneMatch(p -> p.path().equals(template) && p.method().equals(method))) {
                return Refusal.fail(new Refusal.Forbidden("path: " + template + " forbidden for user: " + uid, "user_requested_path_not_allowed"));
            }
        }
        if (!x.endpoint.operation().countsAgainstLimits()) return Future.succeededFuture();
        // leave() does not run for the stage that refused: a slot taken before a budget refusal is given back here
        return acquireRate(x, user).compose(v -> reserveBudget(x, user)).onFailure(e -> giveBackRate(x));
    }

    private Future<Void> acquireRate(Exchange x, EndUser user) {
        int limit = user.rateLimitOverTime();
        if (limit <= 0) return Future.succeededFuture();
        Window window = Window.ofUnit(user.rateLimitUnit()).orElse(null);
        if (window == null || window == Window.MONTH) return Future.succeededFuture();
        return limiter.tryAcquire(scope(user), limit, window, x.receivedAt).compose(ok -> {
            if (!ok) {
                return Refusal.fail(new Refusal.RateLimited("too many requests for user: " + user.userId(),
                        RetryAfter.untilWindowEnds(window, x.receivedAt)));
            }
            x.userRateWindow = window;
            return Future.succeededFuture();
        }, LimitStoreFailures::unavailable);
    }

    private Future<Void> reserveBudget(Exchange x, EndUser user) {
        BudgetLimits limits = BudgetLimits.of(user.costLimitInUsd(), user.costLimitInUsdOverTime(), user.costLimitInUsdUnit());
        if (limits.none()) return Future.succeededFuture();
        CostEstimator.Estimate estimate = estimator.estimate(x);
        if (estimate.unpriced() && !allowUnpriced) {
            return Refusal.fail(UnpricedModelStage.refusal(estimate.unpricedModel(), "user: " + user.userId()));
        }
        return ledger.reserve(scope(user), estimate.micros(), limits, x.receivedAt).compose(r -> {
            if (r.isEmpty()) return RetryAfter.overBudget(ledger, scope(user), limits, x.receivedAt, "cost limit reached for user: " + user.userId());
            x.userReservation = r.get();
            return Future.succeededFuture();
        }, LimitStoreFailures::unavailable);
    }

    @Override
    public void leave(Exchange x, Outcome outcome) {
        if (outcome.refusal() != null && admissionRefusal(outcome.refusal())) giveBackRate(x);
        if (x.userReservation != null) ledger.settle(x.userReservation, outcome.costMicros() + x.extraCostMicros);
    }

    private void giveBackRate(Exchange x) {
        if (x.userRateWindow == null) return;
        limiter.release(scope(x.user), x.userRateWindow, x.receivedAt);
        x.userRateWindow = null;
    }

    /** Refusals by the gateway itself after this stage; upstream failures still count as requests. */
    private static boolean admissionRefusal(Refusal r) {
        return !(r instanceof Refusal.UpstreamTimeout) && !(r instanceof Refusal.UpstreamUnreachable);
    }

    static boolean expired(EndUser user, Instant now) {
        if (user.ttl().isEmpty()) return false;
        try {
            Duration ttl = GoDuration.parse(user.ttl());
            return !ttl.isZero() && !now.isBefore(Instant.ofEpochSecond(user.createdAt()).plus(ttl));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
