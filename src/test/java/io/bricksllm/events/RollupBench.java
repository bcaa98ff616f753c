package io.bricksllm.events;

import io.bricksllm.admin.AdminServer;
import io.bricksllm.config.PostgresSettings;
import io.bricksllm.events.EventSlice.Dimension;
import io.bricksllm.store.Database;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark, not a test (issue 20.4): fills a database with synthetic events directly in SQL (a recursive CTE on
 * SQLite, generate_series on PostgreSQL), builds the rollups with {@link EventRollups#rebuild}, then times the
 * reporting calls over HTTP and, for comparison, the same totals from the events table. Run by bench/rollups.sh:
 * <pre>java [-Dkind=SQLITE|POSTGRES] [-Ddb=path.db] -cp "target/test-classes:target/classes:$DEPS" io.bricksllm.events.RollupBench [events]</pre>
 * The SQLite file is kept and reused when it already holds the events. Data: 30 days in time order, 100 keys in 10
 * teams, 3 end users and 2 models per key, 95% 200, some 429 and 500.
 */
public final class RollupBench {
    private static final long T0 = 1_700_006_400L; // a UTC midnight
    private static final long SPAN = 30 * 86_400L;
    private static final long CHUNK = 1_000_000;
    private static final int RUNS = 9;

    private static final String COLUMNS = "event_id, created_at, key_id, team_id, user_id, model, provider, status_code, "
            + "cost_in_usd, prompt_token_count, completion_token_count, cache_read_token_count, latency_in_ms, path, method, action, custom_id, tags, tag_index";
    private static final String VALUES = " SELECT 'e' || i, ? + (i * ?) / ?, 'k' || k, 't' || (k % 10), 'u' || k || '-' || ((i / 7) % 3), "
            + "CASE WHEN k % 2 = 0 THEN CASE WHEN i % 3 = 0 THEN 'gpt-4o' ELSE 'gpt-4o-mini' END "
            + "ELSE CASE WHEN i % 3 = 0 THEN 'claude-3-5-sonnet' ELSE 'claude-3-haiku' END END, "
            + "CASE WHEN k % 2 = 0 THEN 'openai' ELSE 'anthropic' END, "
            + "CASE WHEN i % 20 = 0 THEN 429 WHEN i % 97 = 0 THEN 500 ELSE 200 END, "
            + "((100 + (i * 31) % 2000) * 2.5 + (10 + (i * 17) % 500) * 10.0) / 1000000.0, 100 + (i * 31) % 2000, "
            + "10 + (i * 17) % 500, (i * 11) % 100, 50 + (i * 13) % 3000, '/api/providers/openai/v1/chat/completions', 'POST', 'allowed', "
            // 1 % of events carry a custom id (100 distinct); keys tagged "prod" (k % 4 = 0) or "dev", as the key's tags
            + "CASE WHEN i % 100 = 0 THEN 'c' || ((i / 100) % 100) ELSE '' END, "
            + "CASE WHEN k % 4 = 0 THEN '[\"prod\"]' ELSE '[\"dev\"]' END, CASE WHEN k % 4 = 0 THEN '|prod|' ELSE '|dev|' END";

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        boolean postgres = System.getProperty("kind", "SQLITE").equals("POSTGRES");
        Database db = postgres ? Database.postgres(untimed(TestDatabases.freshPostgres()))
                : Database.sqlite(Path.of(System.getProperty("db", "target/rollup-bench.db")));
        EventRepository repo = new EventRepository(db);
        long have = db.query("SELECT COUNT(*) FROM events", rs -> rs.getLong(1)).get(0);
        if (have != n) {
            System.out.printf("filling %s with %,d events%n", db.dialect(), n);
            db.update("DELETE FROM events");
            long t = System.nanoTime();
            for (long from = 0; from < n; from += CHUNK) {
                long to = Math.min(n, from + CHUNK);
                if (postgres) {
                    db.update("INSERT INTO events (" + COLUMNS + ")" + VALUES + " FROM (SELECT i, (i * 7919) % 100 AS k "
                            + "FROM generate_series(?::bigint, ?::bigint - 1) AS g(i)) x", T0, SPAN, n, from, to);
                } else {
                    db.update("WITH RECURSIVE s(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?) INSERT INTO events ("
                            + COLUMNS + ")" + VALUES + " FROM (SELECT i, (i * 7919) % 100 AS k FROM s) x", from, to, T0, SPAN, n);
                }
                System.out.printf("  %,d events (%.0f s)%n", to, (System.nanoTime() - t) / 1e9);
            }
            db.withConnection(c -> c.createStatement().execute("ANALYZE"));
            db.update("DELETE FROM event_rollups_hourly");
        }
        long t = System.nanoTime();
        var built = repo.rollups().rebuildIfMissing();
        if (built.isPresent()) {
            System.out.printf("rebuild: %,d events -> %,d rollup rows in %.1f s%n", built.get().events(),
                    built.get().rollupRows(), (System.nanoTime() - t) / 1e9);
            db.withConnection(c -> c.createStatement().execute("ANALYZE"));
        } else {
            System.out.printf("rollups present: %,d rows%n",
                    db.query("SELECT COUNT(*) FROM event_rollups_hourly", rs -> rs.getLong(1)).get(0));
        }

        Vertx vertx = Vertx.vertx();
        HttpServer server = new AdminServer(vertx, "", 5 << 20, List.of(new ReportingAdmin(repo, id -> true, List::of, id -> true)))
                .listen("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
        AdminClient admin = new AdminClient("http://127.0.0.1:" + server.actualPort());
        long end = T0 + SPAN;
        String month = "\"start\":" + T0 + ",\"end\":" + end;
        String day = "\"start\":" + (end - 86_400) + ",\"end\":" + end;
        System.out.printf("%n%s, %,d events: median (min..max) of %d calls, ms%n", db.dialect(), n, RUNS);
        time("GET /api/reporting/keys/k7 (lifetime)", () -> http(admin.get("/api/reporting/keys/k7")));
        time("GET /api/reporting/teams/t3 (lifetime)", () -> http(admin.get("/api/reporting/teams/t3")));
        time("POST events-by-day, 30 days, all keys", () -> http(admin.post("/api/reporting/events-by-day", "{" + month + "}")));
        time("POST top-keys, 30 days", () -> http(admin.post("/api/reporting/top-keys", "{" + month + "}")));
        time("POST top-keys, 30 days, end inside an hour", () -> http(admin.post("/api/reporting/top-keys",
                "{\"start\":" + T0 + ",\"end\":" + (end - 1_234) + "}")));
        time("POST events, 1 key, 30 days by day", () -> http(admin.post("/api/reporting/events",
                "{" + month + ",\"increment\":86400,\"keyIds\":[\"k7\"]}")));
        time("POST events, 1 key, last day by hour, by model", () -> http(admin.post("/api/reporting/events",
                "{" + day + ",\"increment\":3600,\"keyIds\":[\"k7\"],\"filters\":[\"model\"]}")));
        time("POST events, all keys, 30 days by day", () -> http(admin.post("/api/reporting/events",
                "{" + month + ",\"increment\":86400}")));
        time("POST events, 1 key, 1 customId, 30 days by day", () -> http(admin.post("/api/reporting/events",
                "{" + month + ",\"increment\":86400,\"keyIds\":[\"k7\"],\"customIds\":[\"c7\"]}")));
        time("POST events, 1 customId, 30 days by day", () -> http(admin.post("/api/reporting/events",
                "{" + month + ",\"increment\":86400,\"customIds\":[\"c7\"]}")));
        time("POST events, tag prod, last day by hour", () -> http(admin.post("/api/reporting/events",
                "{" + day + ",\"increment\":3600,\"tags\":[\"prod\"]}")));
        time("POST events, tag prod, 30 days by day", () -> http(admin.post("/api/reporting/events",
                "{" + month + ",\"increment\":86400,\"tags\":[\"prod\"]}")));
        time("POST events, tag dev (75 %), 30 days by hour, by model", () -> http(admin.post("/api/reporting/events",
                "{" + month + ",\"increment\":3600,\"tags\":[\"dev\"],\"filters\":[\"model\"]}")));
        time("POST events, tag prod + 1 key, 30 days by day, end inside an hour", () -> http(admin.post("/api/reporting/events",
                "{\"start\":" + T0 + ",\"end\":" + (end - 1_000) + ",\"increment\":86400,\"tags\":[\"prod\"],\"keyIds\":[\"k8\"]}")));
        time("POST events, tags prod AND dev (events scan), last day by hour", () -> http(admin.post("/api/reporting/events",
                "{" + day + ",\"increment\":3600,\"tags\":[\"prod\",\"dev\"]}")));
        time("POST events, 1 key, 30 days by hour, by model", () -> http(admin.post("/api/reporting/events",
                "{" + month + ",\"increment\":3600,\"keyIds\":[\"k7\"],\"filters\":[\"model\"]}")));
        time("GET /api/reporting/user-ids?keyId=k7", () -> http(admin.get("/api/reporting/user-ids?keyId=k7")));
        time("GET /api/reporting/custom-ids?keyId=k7", () -> http(admin.get("/api/reporting/custom-ids?keyId=k7")));
        EventRollups rollups = repo.rollups();
        System.out.println("  parts of POST /api/reporting/events (all keys, 30 days by day):");
        time("  data points from rollups", () -> rollups.aggregate(new EventRollups.Scope(T0, end, null, null, null), T0, 86_400,
                List.of()).size());
        EventFilter all = EventFilter.between(T0, end);
        time("  latency median and 99th from the rollups' histograms", () -> (int) rollups.latencyPercentiles(
                new EventRollups.Scope(T0, end, null, null, null), 0.5, 0.99).orElseThrow()[0]);
        for (String table : List.of("event_rollups_hourly", "event_rollups_daily")) {
            System.out.printf("  %s: rows, latency_hist average and largest length: %s%n", table, db.query("SELECT COUNT(*), "
                    + "AVG(LENGTH(latency_hist)), MAX(LENGTH(latency_hist)) FROM " + table,
                    rs -> rs.getString(1) + ", " + rs.getString(2) + ", " + rs.getString(3)).get(0));
        }
        if (!Boolean.parseBoolean(System.getProperty("compare", "true"))) { // -Dcompare=false: the rollup figures only
            vertx.close().await(10, TimeUnit.SECONDS);
            db.close();
            System.exit(0);
        }
        time("  latency median and 99th from events (not sums: read from events)", () -> (int) repo.latencyPercentiles(all, 0.5, 0.99)[0]);
        System.out.println("  the same totals from the events table (before the rollups):");
        time("  key lifetime spend, events", () -> (int) repo.totalCost("k7"));
        time("  team lifetime spend, events", () -> (int) repo.totalTeamCost("t3"));
        time("  30 days by day and key, events", () -> repo.aggregate(all, 0, 86_400, List.of(Dimension.KEY_ID)).size());
        time("  1 key, 30 days by day, events", () -> repo.aggregate(all.withKeyIds(List.of("k7")), T0, 86_400, List.of()).size());
        vertx.close().await(10, TimeUnit.SECONDS);
        db.close();
        System.exit(0);
    }

    private static PostgresSettings untimed(PostgresSettings pg) {
        return new PostgresSettings(pg.host(), pg.port(), pg.database(), pg.username(), pg.password(), pg.sslMode(),
                Duration.ZERO, Duration.ZERO);
    }

    private static int http(AdminClient.Reply r) {
        if (r.status() != 200) throw new IllegalStateException("HTTP " + r.status() + ": " + r.body());
        return r.body().length();
    }

    private static void time(String what, Callable<Integer> call) throws Exception {
        long warm = System.nanoTime();
        try {
            call.call(); // warm
        } catch (RuntimeException e) { // e.g. a full scan past the client's timeout: say so and go on
            System.out.printf("  %-66s failed after %.0f ms: %s%n", what, (System.nanoTime() - warm) / 1e6, e.getMessage());
            return;
        }
        int runs = System.nanoTime() - warm > 2_000_000_000L ? 1 : RUNS; // a multi-second call: once is enough
        long[] ms = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            call.call();
            ms[i] = (System.nanoTime() - t) / 1_000;
        }
        Arrays.sort(ms);
        System.out.printf("  %-66s %9.1f (%.1f..%.1f)%n", what, ms[runs / 2] / 1e3, ms[0] / 1e3, ms[runs - 1] / 1e3);
    }
}
