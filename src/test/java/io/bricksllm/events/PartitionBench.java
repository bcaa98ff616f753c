package io.bricksllm.events;

import io.bricksllm.config.PostgresSettings;
import io.bricksllm.store.Database;
import io.bricksllm.testing.TestDatabases;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Benchmark, not a test (issue 20.3), on the embedded PostgreSQL: (1) V15's migration of an events table already
 * holding N events (90 days, generate_series) into day partitions; (2) retention of 45 days — half the rows — by
 * dropping partitions, against the batched DELETE of the same rows from a plain table: time, and
 * pg_total_relation_size of the events (all partitions, indexes and TOAST) before and after. Run by bench/partitions.sh:
 * <pre>java -cp "target/test-classes:target/classes:$DEPS" io.bricksllm.events.PartitionBench [events]</pre>
 */
public final class PartitionBench {
    private static final long DAY = 86_400;

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        long t = TimePartitions.dayOf(Instant.now().getEpochSecond()); // a midnight: the 45-day cutoff falls on a partition edge
        Clock clock = Clock.fixed(Instant.ofEpochSecond(t), ZoneOffset.UTC);
        Vertx vertx = Vertx.vertx();
        try {
            // 1. migration of stored events
            PostgresSettings pg = TestDatabases.freshPostgres();
            Database.migrations(dataSource(pg), Database.Dialect.POSTGRES).target("13").load().migrate();
            fill(pg, n, t);
            long plain = sizeOf(pg);
            long t0 = System.nanoTime();
            try (Database db = Database.postgres(pg)) {
                double migration = seconds(t0);
                System.out.printf("migration V15 of %,d events: %.1f s; events %s before, %s after (%d partitions)%n", n, migration,
                        mb(plain), mb(sizeOf(pg)), db.query("SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'events'::regclass",
                                rs -> rs.getLong(1)).get(0));
                vacuum(pg);
                long before = sizeOf(pg);
                t0 = System.nanoTime();
                EventRetention.Run run = new EventRetention(vertx, db, clock, Duration.ofDays(45), Duration.ZERO, 500).runOnce();
                System.out.printf("retention by DROP: %,d events in %d partitions, %.2f s; events %s -> %s%n", run.eventsDeleted(),
                        run.partitionsDropped(), seconds(t0), mb(before), mb(sizeOf(pg)));
            }

            // 2. the batched DELETE of the same rows from a plain table (what V15 replaced on PostgreSQL)
            PostgresSettings plainPg = TestDatabases.freshPostgres();
            try (Database db = Database.postgres(plainPg)) {
                exec(plainPg, "CREATE TABLE events_plain (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)",
                        "DROP TABLE events", "ALTER TABLE events_plain RENAME TO events");
                fill(plainPg, n, t);
                vacuum(plainPg);
                long before = sizeOf(plainPg);
                t0 = System.nanoTime();
                EventRetention.Run run = new EventRetention(vertx, db, clock, Duration.ofDays(45), Duration.ZERO, 500).runOnce();
                double took = seconds(t0);
                long after = sizeOf(plainPg);
                t0 = System.nanoTime();
                vacuum(plainPg);
                System.out.printf("retention by batched DELETE (500 a transaction): %,d events, %.2f s; events %s -> %s "
                                + "(VACUUM after it %.1f s, then %s: the space is reused, not returned)%n", run.eventsDeleted(), took,
                        mb(before), mb(after), seconds(t0), mb(sizeOf(plainPg)));
            }
        } finally {
            vertx.close();
        }
        System.exit(0);
    }

    /**
     * n events evenly over the 90 days before t, written oldest first as the gateway writes them (so the old rows are
     * at the start of the heap, where VACUUM cannot cut them off), 100 keys in 10 teams, a few end users; no bodies.
     */
    private static void fill(PostgresSettings pg, long n, long t) throws Exception {
        long t0 = System.nanoTime();
        exec(pg, "INSERT INTO events (event_id, created_at, key_id, team_id, user_id, model, provider, status_code, cost_in_usd, "
                + "prompt_token_count, completion_token_count, latency_in_ms, path, method, tags, tag_index) "
                + "SELECT gen_random_uuid()::text, " + (t - 90 * DAY) + " + (g * " + (90 * DAY) + ") / " + n + ", 'k' || (g % 100), "
                + "'t' || (g % 10), CASE WHEN g % 4 = 0 THEN 'u' || (g % 7) ELSE '' END, 'gpt-4o-mini', 'openai', "
                + "CASE WHEN g % 20 = 0 THEN 429 ELSE 200 END, (100 + g % 2000) * 0.00000015, 100 + g % 2000, 10 + g % 500, "
                + "200 + g % 900, '/api/providers/openai/v1/chat/completions', 'POST', '[\"prod\"]', '|prod|' "
                + "FROM generate_series(0::bigint, " + (n - 1) + ") g");
        System.out.printf("filled %,d events in %.1f s%n", n, seconds(t0));
    }

    private static long sizeOf(PostgresSettings pg) throws Exception {
        try (Connection c = dataSource(pg).getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COALESCE(SUM(pg_total_relation_size(oid)), 0) FROM pg_class WHERE relname = 'events' "
                     + "OR oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'events'::regclass)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void vacuum(PostgresSettings pg) throws Exception {
        exec(pg, "VACUUM ANALYZE");
    }

    private static void exec(PostgresSettings pg, String... sql) throws Exception {
        try (Connection c = dataSource(pg).getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) st.execute(s);
        }
    }

    private static PGSimpleDataSource dataSource(PostgresSettings pg) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl());
        ds.setUser(pg.username());
        return ds;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String mb(long bytes) {
        return String.format("%.0f MB", bytes / 1e6);
    }
}
