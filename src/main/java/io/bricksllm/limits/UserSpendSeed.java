package io.bricksllm.limits;

import io.bricksllm.store.Database;
import io.bricksllm.store.EndUser;
import io.bricksllm.store.Json;
import io.bricksllm.store.UserRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds every end user's spend (scope {@link Scopes#user}, by internal id) from the recorded events at start-up,
 * like {@link SpendSeed} does for keys. Events carry the request's user id and the key's tags, not the
 * internal id, so each (user id, tags) group is attributed the way the proxy resolves users (§5.7): to the
 * one user with that user id whose tags contain all of them; groups matching none or several are skipped.
 * Attribution uses the users as they are now. Blocking: run before the listeners open.
 */
public final class UserSpendSeed {
    private static final List<Window> COST_WINDOWS = List.of(Window.MINUTE, Window.HOUR, Window.DAY, Window.MONTH);

    private UserSpendSeed() {}

    /** @return the number of users seeded */
    public static int seedUsers(Database db, SpendLedger ledger, Instant now) {
        Map<String, List<EndUser>> byUserId = new HashMap<>();
        for (EndUser u : new UserRepository(db).findAll()) byUserId.computeIfAbsent(u.userId(), k -> new ArrayList<>()).add(u);
        if (byUserId.isEmpty()) return 0;
        Map<String, Long> totals = sums(db, 0, byUserId);
        Map<String, Map<Window, Long>> windows = new HashMap<>();
        for (Window w : COST_WINDOWS) {
            sums(db, w.start(now) / 1000, byUserId).forEach((id, micros) ->
                    windows.computeIfAbsent(id, k -> new EnumMap<>(Window.class)).put(w, micros));
        }
        totals.forEach((id, total) -> ledger.seed(Scopes.user(id), total, windows.getOrDefault(id, Map.of()), now));
        return totals.size();
    }

    /** Spend since {@code sinceEpochSecond}, by internal user id. */
    private static Map<String, Long> sums(Database db, long sinceEpochSecond, Map<String, List<EndUser>> byUserId) {
        Map<String, Long> out = new HashMap<>();
        db.query("SELECT user_id, tags, SUM(cost_in_usd) FROM events WHERE user_id <> '' AND created_at >= ? GROUP BY user_id, tags",
                rs -> {
                    EndUser u = resolve(byUserId.get(rs.getString(1)), Json.strings(rs.getString(2)));
                    if (u != null) out.merge(u.id(), Micros.of(rs.getDouble(3)), Long::sum);
                    return null;
                }, sinceEpochSecond);
        return out;
    }

    private static EndUser resolve(List<EndUser> candidates, List<String> keyTags) {
        if (candidates == null) return null;
        EndUser found = null;
        for (EndUser u : candidates) {
            if (!u.covers(keyTags)) continue;
            if (found != null) return null;
            found = u;
        }
        return found;
    }
}
