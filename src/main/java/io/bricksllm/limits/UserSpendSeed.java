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

    /**
     * Spend since {@code sinceEpochSecond}, by internal user id; a total (since 0) includes the spend of events retention
     * removed; per-event micro-dollars ({@link SpendSums}), so removing events changes no total.
     */
    private static Map<String, Long> sums(Database db, long sinceEpochSecond, Map<String, List<EndUser>> byUserId) {
        record Group(String userId, String tags) {}
        Map<Group, Long> micros = new HashMap<>();
        // a total reads the archive and the events in one statement (one snapshot): a batch retention moves meanwhile counts once
        String archive = sinceEpochSecond == 0 ? "SELECT owner, tags, cost_micros AS m FROM event_spend_archive WHERE owner_kind = 'user' UNION ALL " : "";
        db.query("SELECT owner, tags, CAST(SUM(m) AS BIGINT) FROM (" + archive
                        + "SELECT user_id AS owner, tags, ROUND(cost_in_usd * 1000000) AS m FROM events WHERE user_id <> '' AND created_at >= ?) t"
                        + " GROUP BY owner, tags",
                rs -> micros.merge(new Group(rs.getString(1), rs.getString(2)), rs.getLong(3), Long::sum), sinceEpochSecond);
        Map<String, Long> out = new HashMap<>();
        micros.forEach((g, sum) -> {
            EndUser u = resolve(byUserId.get(g.userId()), Json.strings(g.tags()));
            if (u != null) out.merge(u.id(), sum, Long::sum);
        });
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
