package io.bricksllm.limits;

import io.bricksllm.store.Database;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds every team's spend (scope {@link Scopes#team}) from the recorded events at start-up and after Redis lost
 * its counters, like {@link SpendSeed} does for keys. An event carries the team its key was in when it was made
 * ({@code events.team_id}), so spend stays with the team that paid for it when a key later moves to another team,
 * as team reporting counts it. Blocking: run before the listeners open.
 */
public final class TeamSpendSeed {
    private static final List<Window> COST_WINDOWS = List.of(Window.MINUTE, Window.HOUR, Window.DAY, Window.MONTH);

    private TeamSpendSeed() {}

    /** @return the number of teams seeded */
    public static int seedTeams(Database db, SpendLedger ledger, Instant now) {
        Map<String, Long> totals = sums(db, 0);
        Map<String, Map<Window, Long>> windows = new HashMap<>();
        for (Window w : COST_WINDOWS) {
            sums(db, w.start(now) / 1000).forEach((team, micros) ->
                    windows.computeIfAbsent(team, k -> new EnumMap<>(Window.class)).put(w, micros));
        }
        totals.forEach((team, total) -> ledger.seed(Scopes.team(team), total, windows.getOrDefault(team, Map.of()), now));
        return totals.size();
    }

    private static Map<String, Long> sums(Database db, long sinceEpochSecond) {
        Map<String, Long> out = new HashMap<>();
        db.query("SELECT team_id, SUM(cost_in_usd) FROM events WHERE team_id <> '' AND created_at >= ? GROUP BY team_id",
                rs -> out.put(rs.getString(1), Micros.of(rs.getDouble(2))), sinceEpochSecond);
        return out;
    }
}
