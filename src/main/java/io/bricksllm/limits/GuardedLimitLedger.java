package io.bricksllm.limits;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the failure policies to a {@link LimitLedger} whose store may be unavailable, as {@link GuardedSpendLedger}
 * does for spend alone: when the store fails (or is skipped while known down), a request
 * is refused with {@link LimitStoreUnavailable} if any of its levels with a budget meets a failing-closed budget
 * policy, or any level with request, token or concurrency limits meets a failing-closed rate policy; otherwise it is
 * admitted uncounted ({@link Ticket#counted()} false, {@link LevelUsage#uncounted}). Settling never fails (a failure
 * is counted; the connector logs the outage once); snapshots pass failures on as {@link LimitStoreUnavailable}.
 */
public final class GuardedLimitLedger implements LimitLedger {
    private static final String NAME = "limit store";

    private final LimitLedger store;
    private final FailurePolicy ratePolicy;
    private final FailurePolicy budgetPolicy;
    private final StoreOutage outage;

    /**
     * @param probeInterval how long after a failure admission decides without asking the store
     */
    public GuardedLimitLedger(LimitLedger store, FailurePolicy ratePolicy, FailurePolicy budgetPolicy, Duration probeInterval) {
        this.store = store;
        this.ratePolicy = ratePolicy;
        this.budgetPolicy = budgetPolicy;
        // the outage's log line names one policy: the stricter one, which is what a budgeted request meets
        this.outage = new StoreOutage(NAME, ratePolicy == FailurePolicy.FAIL_CLOSED ? ratePolicy : budgetPolicy, probeInterval);
    }

    @Override
    public Future<Admission> admit(AdmissionRequest request) {
        if (outage.skipStore()) {
            outage.skipped();
            return unavailable(request, new LimitStoreUnavailable(NAME + " unavailable"));
        }
        return store.admit(request).transform(ar -> {
            if (ar.succeeded()) {
                outage.succeeded();
                return Future.succeededFuture(ar.result());
            }
            outage.failed(ar.cause());
            return unavailable(request, ar.cause());
        });
    }

    private Future<Admission> unavailable(AdmissionRequest request, Throwable cause) {
        if (failsClosed(request)) return Future.failedFuture(StoreOutage.unavailable(NAME, cause));
        outage.admittedByPolicy();
        List<LevelUsage> usage = new ArrayList<>(request.levels().size());
        for (LevelLimits l : request.levels()) usage.add(LevelUsage.uncounted(l));
        return Future.succeededFuture(new Admission.Admitted(new Ticket(request, "", false), usage));
    }

    private boolean failsClosed(AdmissionRequest request) {
        for (LevelLimits l : request.levels()) {
            if (l.limitsSpend() && budgetPolicy == FailurePolicy.FAIL_CLOSED) return true;
            if ((l.limitsRequests() || l.limitsTokens() || l.limitsConcurrency()) && ratePolicy == FailurePolicy.FAIL_CLOSED) return true;
        }
        return false;
    }

    @Override
    public Future<Void> settle(Ticket ticket, Settlement settlement) {
        Future<Void> call;
        try {
            call = store.settle(ticket, settlement);
        } catch (RuntimeException e) {
            call = Future.failedFuture(e);
        }
        return call.transform(ar -> {
            if (ar.succeeded()) {
                outage.succeeded();
            } else {
                outage.failed(ar.cause());
            }
            return Future.succeededFuture();
        });
    }

    @Override
    public Future<LevelSnapshot> snapshot(LevelLimits level, Instant now) {
        return outage.observed(store.snapshot(level, now));
    }

    public FailurePolicy ratePolicy() {
        return ratePolicy;
    }

    public FailurePolicy budgetPolicy() {
        return budgetPolicy;
    }

    /** Failure counts and state, for metrics. */
    public StoreOutage outage() {
        return outage;
    }

    /** The guarded ledger. */
    public LimitLedger store() {
        return store;
    }
}
