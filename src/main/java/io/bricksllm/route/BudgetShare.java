package io.bricksllm.route;

import io.bricksllm.limits.BudgetLimits;
import io.bricksllm.limits.LevelLimits;
import io.bricksllm.limits.LevelSnapshot;
import io.bricksllm.limits.LimitLedger;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.stage.AdmissionLevels;
import io.bricksllm.store.Team;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * How much of its budget a request's key (or the key's team) has spent, in percent, for a route's budget fallback:
 * the larger of the key's and the team's shares, each the spend in the current period of its periodic budget
 * ({@code costLimitInUsdOverTime}) or, without one, of its total budget ({@code costLimitInUsd}). Read from the limit
 * ledger's counters, so in scale-out mode every instance sees the same spend. 0 when no budget applies.
 */
public final class BudgetShare {
    private final LimitLedger ledger;

    public BudgetShare(LimitLedger ledger) {
        this.ledger = ledger;
    }

    public Future<Double> percentSpent(Exchange x) {
        Instant now = x.receivedAt;
        LevelLimits keyLevel = AdmissionLevels.of(x.key);
        Team team = x.key.teamId().isEmpty() ? null : x.config.teamsById().get(x.key.teamId());
        LevelLimits teamLevel = team == null ? null : AdmissionLevels.of(team);
        Future<Double> keyShare = share(keyLevel, now);
        Future<Double> teamShare = teamLevel == null ? Future.succeededFuture(0.0) : share(teamLevel, now);
        return Future.all(keyShare, teamShare).map(v -> Math.max(keyShare.result(), teamShare.result()));
    }

    private Future<Double> share(LevelLimits level, Instant now) {
        BudgetLimits b = level.budget();
        if (b.none()) return Future.succeededFuture(0.0);
        return ledger.snapshot(level, now).map((LevelSnapshot s) -> {
            if (b.windowMicros() > 0 && b.window() != null) return 100.0 * Math.max(0, s.windowSpentMicros()) / b.windowMicros();
            return b.totalMicros() > 0 ? 100.0 * Math.max(0, s.totalSpentMicros()) / b.totalMicros() : 0.0;
        });
    }
}
