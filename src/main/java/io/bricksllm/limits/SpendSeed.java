package io.bricksllm.limits;

import io.bricksllm.store.Database;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds every key's spend from the recorded events at start-up, so that budgets survive a restart:
 * the events table is the durable ledger. Blocking: run before the listeners open.
 */
public final class SpendSeed {
    private static final List<Window> COST_WINDOWS = List.of(Window.MINUTE, Window.HOUR, Window.DAY, Window.MONTH);

    private SpendSeed() {}

    /** @return the number of keys seeded */
    public static int seedKeys(Database db, SpendLedger ledger, Instant now) {
        Map<String, Long> totals = sums(db, 0);
        Map<String, Map<Window, Long>> windows = new HashMap<>();
        for (Window w : COST_WINDOWS) {
            sums(db, w.start(now) / 1000).forEach((key, micros) ->
                    windows.computeIfAbsent(key, k -> new EnumMap<>(Window.class)).put(w, micros));
        }
        totals.forEach((key, total) -> ledger.seed(Scopes.key(key), total, windows.getOrDefault(key, Map.of()), now));
        return totals.size();
    }

    private static Map<String, Long> sums(Database db, long sinceEpochSecond) {
        Map<String, Long> out = new HashMap<>();
        db.query("SELECT key_id, SUM(cost_in_usd) FROM events WHERE key_id <> '' AND created_at >= ? GROUP BY key_id",
                rs -> out.put(rs.getString(1), Micros.of(rs.getDouble(2))), sinceEpochSecond);
        return out;
    }
}
