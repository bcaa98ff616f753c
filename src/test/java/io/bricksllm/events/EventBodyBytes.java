package io.bricksllm.events;

import io.bricksllm.store.Database;
import io.bricksllm.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Benchmark, not a test (issue 20.2): database bytes per 1,000 events with the bodies of {@link EventPipelineThroughput}.
 * Inserts {@code n} events in batches of 500 into a fresh SQLite file (its size after a checkpoint) and into a fresh
 * PostgreSQL database (pg_total_relation_size of events and, when it exists, event_bodies).
 * <pre>java -cp "target/test-classes:target/classes:$DEPS" io.bricksllm.events.EventBodyBytes [events]</pre>
 */
public final class EventBodyBytes {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Files.createTempDirectory("body-bytes");
        Path file = dir.resolve("events.db");
        try (Database db = Database.sqlite(file)) {
            long empty = sqliteBytes(db);
            insert(db, n);
            System.out.printf("SQLITE   %,d events: %,d bytes per 1,000 events (file %,d bytes, empty schema %,d)%n",
                    n, (sqliteBytes(db) - empty) * 1000 / n, sqliteBytes(db), empty);
        }
        try (Database db = Database.postgres(TestDatabases.freshPostgres())) {
            insert(db, n);
            long bytes = db.query("SELECT pg_total_relation_size('events') + COALESCE(pg_total_relation_size(to_regclass('event_bodies')), 0)",
                    rs -> rs.getLong(1)).getFirst();
            System.out.printf("POSTGRES %,d events: %,d bytes per 1,000 events (events + event_bodies incl. indexes and TOAST: %,d)%n",
                    n, bytes * 1000 / n, bytes);
        }
        System.exit(0); // the embedded PostgreSQL shutdown hook stops the server
    }

    private static long sqliteBytes(Database db) {
        db.query("PRAGMA wal_checkpoint(TRUNCATE)", rs -> rs.getLong(1));
        long pages = db.query("PRAGMA page_count", rs -> rs.getLong(1)).getFirst();
        long size = db.query("PRAGMA page_size", rs -> rs.getLong(1)).getFirst();
        long free = db.query("PRAGMA freelist_count", rs -> rs.getLong(1)).getFirst();
        return (pages - free) * size;
    }

    private static void insert(Database db, int n) {
        EventRepository repo = new EventRepository(db);
        // the bodies of EventPipelineThroughput
        byte[] request = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] response = ("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + "hi ".repeat(200) + "\"}}],"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2}}").getBytes(StandardCharsets.UTF_8);
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(new Event(Event.newId(), 1_700_000_000L + i, List.of("team-a", "prod"), "key-bench", 0.000123, "openai",
                    "gpt-4o-mini", 200, 11, 2, 120, "/api/providers/openai/v1/chat/completions", "POST", "", request, response, "",
                    "", "", "", UUID.randomUUID().toString(), null, false));
            if (batch.size() == 500) {
                repo.insert(batch);
                batch.clear();
            }
        }
        repo.insert(batch);
    }
}
