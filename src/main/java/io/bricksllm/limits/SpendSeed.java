package io.bricksllm.limits;

import io.bricksllm.store.Database;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Rebuilds every key's and every team's spend from the recorded events at start-up (and after Redis lost its
 * counters), so that budgets survive a restart: the events table, with the spend of the events retention removed
 * ({@code event_spend_archive}), is the durable ledger. An event carries the team its
 * request counted against when it was made ({@code events.team_id}), so spend stays with the team that paid for it
 * when a key later moves to another team, as team reporting counts it. Blocking: run before the listeners open.
 */
public final class SpendSeed {
    private static final List<Window> COST_WINDOWS = List.of(Window.MINUTE, Window.HOUR, Window.DAY, Window.MONTH);

    private SpendSeed() {}

    /** @return the number of keys seeded */
    public static int seedKeys(Database db, SpendLedger ledger, Instant now) {
        return seed(db, ledger, now, "key_id", "key", Scopes::key);
    }

    /** @return the number of teams seeded (scope {@link Scopes#team}) */
    public static int seedTeams(Database db, SpendLedger ledger, Instant now) {
        return seed(db, ledger, now, "team_id", "team", Scopes::team);
    }

    /**
     * {@code column}: the events column that names the owner (a constant of this class, never input); {@code kind}: the
     * owner kind of the spend of events that retention removed ({@code event_spend_archive}), part of every total.
     */
    private static int seed(Database db, SpendLedger ledger, Instant now, String column, String kind, UnaryOperator<String> scope) {
        // one statement, one snapshot: a batch that retention moves to the archive meanwhile is counted once
        Map<String, Long> totals = new HashMap<>();
        db.query("SELECT owner, CAST(SUM(m) AS BIGINT) FROM (SELECT owner, cost_micros AS m FROM event_spend_archive WHERE owner_kind = ?"
                        + " UNION ALL SELECT " + column + ", ROUND(cost_in_usd * 1000000) FROM events WHERE " + column + " <> '') t GROUP BY owner",
                rs -> totals.put(rs.getString(1), rs.getLong(2)), kind);
        Map<String, Map<Window, Long>> windows = new HashMap<>();
        for (Window w : COST_WINDOWS) {
            sums(db, column, w.start(now) / 1000).forEach((owner, micros) ->
                    windows.computeIfAbsent(owner, k -> new EnumMap<>(Window.class)).put(w, micros));
        }
        totals.forEach((owner, total) -> ledger.seed(scope.apply(owner), total, windows.getOrDefault(owner, Map.of()), now));
        return totals.size();
    }

    private static Map<String, Long> sums(Database db, String column, long sinceEpochSecond) {
        Map<String, Long> out = new HashMap<>();
        db.query("SELECT " + column + ", " + SpendSums.MICROS + " FROM events WHERE " + column + " <> '' AND created_at >= ? GROUP BY " + column,
                rs -> out.put(rs.getString(1), rs.getLong(2)), sinceEpochSecond);
        return out;
    }
}
