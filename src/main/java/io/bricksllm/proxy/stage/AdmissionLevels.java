package io.bricksllm.proxy.stage;

import io.bricksllm.limits.BudgetLimits;
import io.bricksllm.limits.Level;
import io.bricksllm.limits.LevelLimits;
import io.bricksllm.limits.Scopes;
import io.bricksllm.limits.Window;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.EndUser;
import io.bricksllm.store.Team;
import java.util.ArrayList;
import java.util.List;

/**
 * The levels whose limits a request meets (issue 19.1), in the order refusals are decided: its team
 * ({@link Exchange#teamId}: the key's, else the end user's), the key, the end user. A team that no longer exists
 * (deleted since the key was read) limits nothing. Levels without any limit are left out.
 */
public final class AdmissionLevels {
    private AdmissionLevels() {}

    public static List<LevelLimits> of(Exchange x) {
        List<LevelLimits> out = new ArrayList<>(3);
        Team team = team(x);
        addIfLimited(out, team == null ? null : of(team));
        addIfLimited(out, of(x.key));
        if (x.user != null) addIfLimited(out, of(x.user));
        return out;
    }

    /** The request's team ({@link Exchange#teamId}); null when none or deleted. */
    public static Team team(Exchange x) {
        String id = x.teamId();
        return id.isEmpty() ? null : x.config.teamsById().get(id);
    }

    private static void addIfLimited(List<LevelLimits> out, LevelLimits l) {
        if (l != null && !l.none()) out.add(l);
    }

    public static LevelLimits of(Team t) {
        return new LevelLimits(Level.TEAM, t.id(), Scopes.team(t.id()), t.rateLimitOverTime(), requestWindow(t.rateLimitOverTime(), t.rateLimitUnit()),
                t.tokenLimitOverTime(), tokenWindow(t.tokenLimitOverTime(), t.tokenLimitUnit()),
                BudgetLimits.of(t.costLimitInUsd(), t.costLimitInUsdOverTime(), t.costLimitInUsdUnit()), t.maxConcurrentRequests());
    }

    public static LevelLimits of(ApiKey k) {
        return new LevelLimits(Level.KEY, k.keyId(), Scopes.key(k.keyId()), k.rateLimitOverTime(), requestWindow(k.rateLimitOverTime(), k.rateLimitUnit()),
                k.tokenLimitOverTime(), tokenWindow(k.tokenLimitOverTime(), k.tokenLimitUnit()),
                BudgetLimits.of(k.costLimitInUsd(), k.costLimitInUsdOverTime(), k.costLimitInUsdUnit()), k.maxConcurrentRequests());
    }

    public static LevelLimits of(EndUser u) {
        return new LevelLimits(Level.USER, u.userId(), Scopes.user(u.id()), u.rateLimitOverTime(), requestWindow(u.rateLimitOverTime(), u.rateLimitUnit()),
                u.tokenLimitOverTime(), tokenWindow(u.tokenLimitOverTime(), u.tokenLimitUnit()),
                BudgetLimits.of(u.costLimitInUsd(), u.costLimitInUsdOverTime(), u.costLimitInUsdUnit()), u.maxConcurrentRequests());
    }

    /** Request limits count per second, minute, hour or day (BEHAVIOUR.md §6.2: a month is not a rate-limit unit). */
    static Window requestWindow(long limit, String unit) {
        if (limit <= 0) return null;
        Window w = Window.ofUnit(unit == null ? "" : unit).orElse(null);
        return w == Window.MONTH ? null : w;
    }

    static Window tokenWindow(long limit, String unit) {
        return limit <= 0 ? null : Window.ofUnit(unit == null ? "" : unit).orElse(null);
    }
}
