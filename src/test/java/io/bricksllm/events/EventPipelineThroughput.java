package io.bricksllm.events;

import io.bricksllm.store.Database;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark, not a test: pushes events through {@link BatchingEventSink} into SQLite and into PostgreSQL
 * and prints events per second. The publisher keeps the queue from overflowing so the figure is the
 * writer's sustained rate, not the spool's.
 * Run with the test classpath (the surefire reports list it as surefire.test.class.path):
 * <pre>java [-Dbatch=500] [-Dwriters=2] [-Dkind=SQLITE] -cp "target/test-classes:target/classes:$DEPS" io.bricksllm.events.EventPipelineThroughput [events [random-ids]]</pre>
 * ({@code -DplainEvents=true}: PostgreSQL's events as one plain table instead of V15's day partitions. {@code -Dbatch}: rows per batch, the gateway's {@code EVENT_BATCH_SIZE}; 2,000 and 5,000 were no faster than 500 on
 * either database.)
 */
public final class EventPipelineThroughput {
    /** CPU time of the sink's writer thread (the database's own work for SQLite; JDBC and network for PostgreSQL). */
    private static long writerCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("event-writer"))
                .mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.threadId()))).sum();
    }

    private static final int CAPACITY = 100_000;
    private static final int BATCH = Integer.getInteger("batch", 500);
    private static final Duration FLUSH = Duration.ofMillis(200);

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        boolean randomIds = args.length > 1 && args[1].equals("random-ids"); // UUIDv4 instead of Event.newId()
        String only = System.getProperty("kind", ""); // SQLITE or POSTGRES: that one alone
        for (Kind kind : Kind.values()) {
            if (!only.isEmpty() && !kind.name().equalsIgnoreCase(only)) continue;
            for (boolean users : new boolean[] {false, true}) {
                try (Database db = TestDatabases.open(kind)) {
                    if (kind == Kind.POSTGRES && Boolean.getBoolean("plainEvents")) {
                        // -DplainEvents=true: the events as one plain table, as before V15 partitioned them by day (A/B)
                        db.withConnection(c -> {
                            try (var st = c.createStatement()) {
                                st.execute("CREATE TABLE events_plain (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)");
                                st.execute("DROP TABLE events");
                                st.execute("ALTER TABLE events_plain RENAME TO events");
                            }
                            return null;
                        });
                    }
                    run(kind, db, n / 10, randomIds, users, true);  // warm-up
                    run(kind, db, n, randomIds, users, false);
                }
            }
        }
        System.exit(0); // the embedded PostgreSQL shutdown hook stops the server
    }

    /**
     * {@code users} false: rows as bench/run.sh makes them (one key, no end user, no custom id); true: 50 keys and
     * an end-user id on every row (200 users), which the partial user_id index then holds.
     */
    private static void run(Kind kind, Database db, int n, boolean randomIds, boolean users, boolean warmUp) throws Exception {
        EventRepository repo = new EventRepository(db);
        Path spool = Files.createTempDirectory("spool-bench");
        // as the gateway: EVENT_WRITERS (default 2) on PostgreSQL, always 1 on SQLite
        int writers = kind == Kind.POSTGRES ? Integer.getInteger("writers", 2) : 1;
        BatchingEventSink sink = new BatchingEventSink(repo, CAPACITY, BATCH, FLUSH, spool, Clock.systemUTC(), writers);
        byte[] request = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        // about the size of bench/'s mock answer (769 bytes), so the figure matches the benchmark's rows
        byte[] response = ("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + "hi ".repeat(200) + "\"}}],"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2}}").getBytes(StandardCharsets.UTF_8);
        long before = sink.written();
        long writerCpu0 = writerCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            while (sink.queueDepth() > CAPACITY - 1_000) LockSupport.parkNanos(200_000);
            sink.publish(new Event(randomIds ? UUID.randomUUID().toString() : Event.newId(), 1_700_000_000L + i, List.of("team-a", "prod"),
                    users ? "key-" + (i % 50) : "key-bench", 0.000123, "openai", "gpt-4o-mini", 200, 11, 2, 120,
                    "/api/providers/openai/v1/chat/completions", "POST", "", request, response, users ? "user-" + (i % 200) : "", "", "",
                    "", UUID.randomUUID().toString(), null, false));
        }
        while (sink.written() - before < n) Thread.sleep(5);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double writerUsPerEvent = (writerCpuNanos() - writerCpu0) / 1e3 / n;
        BatchingEventSink.Stats s = sink.stats();
        sink.close();
        if (warmUp) return;
        long rows = db.query("SELECT COUNT(*) FROM events", rs -> rs.getLong(1)).get(0);
        System.out.printf("%-8s %d writer(s) %-16s %s ids: %,d events in %.2f s = %,.0f events/s, writer threads CPU %.1f us/event (batches %d, last batch %d ms, spooled %d, rows %,d)%n",
                kind, writers, users ? "with user ids" : "bench-like rows", randomIds ? "UUIDv4" : "UUIDv7", n, seconds, n / seconds, writerUsPerEvent, s.batches(), s.lastBatchLatency().toMillis(), s.spooled(), rows);
    }
}
