package io.bricksllm.proxy.stage;

import io.bricksllm.limits.Admission;
import io.bricksllm.limits.AdmissionRequest;
import io.bricksllm.limits.LevelLimits;
import io.bricksllm.limits.LimitLedger;
import io.bricksllm.limits.Settlement;
import io.bricksllm.limits.SpendObserver;
import io.bricksllm.limits.Ticket;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.bricksllm.proxy.meter.TokenEstimator;
import io.vertx.core.Future;
import java.util.List;

/**
 * Every level's limits — team, key, end user; requests, tokens, budget, concurrency — taken in one atomic admission
 * ({@link LimitLedger#admit}), and settled to the real cost and tokens when the request ends, whichever way it ends.
 * A request refused by a later stage gives its request slots back; upstream failures still count as requests.
 * The estimates are made only for the kinds some level limits (the tokenizer only runs under a token limit).
 */
public final class LimitStage implements Stage {
    private final LimitLedger ledger;
    private final CostEstimator costs;
    private final TokenEstimator tokens;
    private final SpendObserver observer;

    public LimitStage(LimitLedger ledger, CostEstimator costs, TokenEstimator tokens, SpendObserver observer) {
        this.ledger = ledger;
        this.costs = costs;
        this.tokens = tokens;
        this.observer = observer;
    }

    @Override
    public Future<Void> enter(Exchange x) {
        if (!x.endpoint.operation().countsAgainstLimits()) return Future.succeededFuture();
        List<LevelLimits> levels = AdmissionLevels.of(x);
        if (levels.isEmpty()) return Future.succeededFuture();
        long cost = levels.stream().anyMatch(LevelLimits::limitsSpend) ? costs.estimateMicros(x) : 0;
        Future<Long> tokenEstimate = levels.stream().anyMatch(LevelLimits::limitsTokens) ? tokens.estimate(x) : Future.succeededFuture(0L);
        return tokenEstimate
                .compose(t -> ledger.admit(new AdmissionRequest(levels, cost, t, x.receivedAt)))
                .compose(a -> {
                    RateLimitHeaders.announce(x, a.usage());
                    return switch (a) {
                        case Admission.Admitted ok -> {
                            x.limitTicket = ok.ticket();
                            yield Future.succeededFuture();
                        }
                        case Admission.Refused no -> Refusal.fail(LimitRefusals.of(no, levels));
                    };
                }, LimitStoreFailures::unavailable);
    }

    @Override
    public void leave(Exchange x, Outcome outcome) {
        Ticket ticket = x.limitTicket;
        if (ticket == null) return;
        x.limitTicket = null;
        boolean countsAsRequest = outcome.refusal() == null || upstreamFailure(outcome.refusal());
        long cost = outcome.costMicros() + x.extraCostMicros;
        ledger.settle(ticket, new Settlement(cost, tokensUsed(outcome), countsAsRequest)).onComplete(v -> {
            if (cost <= 0) return;
            for (LevelLimits l : ticket.request().levels()) if (l.limitsSpend()) observer.settled(l, x.receivedAt);
        });
    }

    /**
     * What the request used of token limits: the reported usage; -1 (the reservation stands) when an answer or a stream
     * the caller left produced tokens no one reported; 0 when nothing was generated (a refusal, an upstream error).
     */
    static long tokensUsed(Outcome o) {
        if (o.promptTokens() >= 0 && o.completionTokens() >= 0 && (o.promptTokens() > 0 || o.completionTokens() > 0)) {
            return o.promptTokens() + o.completionTokens();
        }
        boolean answered = o.refusal() == null && o.status() >= 200 && o.status() < 300;
        return answered || o.clientAborted() ? -1 : 0;
    }

    /** Upstream failures still count as requests: the upstream was asked. */
    private static boolean upstreamFailure(Refusal r) {
        return r instanceof Refusal.UpstreamTimeout || r instanceof Refusal.UpstreamUnreachable;
    }
}
