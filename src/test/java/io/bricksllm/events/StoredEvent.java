package io.bricksllm.events;

import io.bricksllm.store.Database;
import io.bricksllm.store.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** An event as the events table holds it, read back: the columns the rollups sum, for the rollup tests' oracle. */
record StoredEvent(long createdAt, List<String> tags, String key, String team, String user, String model, String provider,
                   int status, String action, double cost, long prompt, long completion, long cacheRead, long cacheWrite,
                   long reasoning, long latency) {

    static List<StoredEvent> all(Database db) {
        return db.query("SELECT created_at, tags, key_id, team_id, user_id, model, provider, status_code, action, cost_in_usd, "
                + "prompt_token_count, completion_token_count, cache_read_token_count, cache_write_token_count, "
                + "reasoning_token_count, latency_in_ms FROM events", rs -> new StoredEvent(rs.getLong(1),
                Json.strings(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getInt(8), rs.getString(9), rs.getDouble(10), rs.getLong(11), rs.getLong(12),
                rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16)));
    }

    /** status / 100 as the rollups key it; 0 for a status outside 100-599. */
    int statusClass() {
        return status >= 100 && status <= 599 ? status / 100 : 0;
    }

    /**
     * The rollup rows a table must hold, summed here from events as the writer must sum them: group → the ten measures
     * (requests, successes, errors, prompt, completion, cache read, cache write, reasoning, latency, cost in pico-USD)
     * then the latency histogram's text, built with the bucket function alone (its bounds are LatencyHistogramTest's).
     */
    static final class ExpectedRollups {
        private final TreeMap<String, long[]> sums = new TreeMap<>();
        private final TreeMap<String, TreeMap<Integer, Long>> hists = new TreeMap<>();

        void add(String group, StoredEvent e) {
            long[] m = sums.computeIfAbsent(group, k -> new long[10]);
            m[0]++;
            if (e.status == 200) m[1]++;
            if (e.status >= 400 || e.action.equals("blocked")) m[2]++;
            m[3] += e.prompt;
            m[4] += e.completion;
            m[5] += e.cacheRead;
            m[6] += e.cacheWrite;
            m[7] += e.reasoning;
            m[8] += e.latency;
            m[9] += Math.round(e.cost * 1e12);
            hists.computeIfAbsent(group, k -> new TreeMap<>()).merge(LatencyHistogram.bucket(e.latency), 1L, Long::sum);
        }

        TreeMap<String, List<Object>> rows() {
            TreeMap<String, List<Object>> out = new TreeMap<>();
            sums.forEach((k, v) -> {
                List<Object> m = new ArrayList<>();
                for (long x : v) m.add(x);
                StringBuilder hist = new StringBuilder();
                hists.get(k).forEach((b, c) -> hist.append(hist.isEmpty() ? "" : ",").append(b).append(':').append(c));
                m.add(hist.toString());
                out.put(k, m);
            });
            return out;
        }
    }
}
