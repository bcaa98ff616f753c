package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.store.Database;
import io.bricksllm.testing.TestDatabases;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 20.3: events older than the retention are deleted and bodies older than the body retention are stripped, in
 * batches (more rows than one batch here), leaving every younger event and body as it was; on SQLite and PostgreSQL.
 */
class EventRetentionTest {
    static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
    static final long DAY = 86_400;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void oldEventsGoAndOldBodiesAreStrippedBatchByBatchTheRestStays(TestDatabases.Kind kind) {
        Vertx vertx = Vertx.vertx();
        try (Database db = TestDatabases.open(kind)) {
            EventRepository repo = new EventRepository(db);
            byte[] req = "{\"model\":\"gpt-4o\"}".getBytes(StandardCharsets.UTF_8);
            byte[] resp = "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            List<Event> batch = new ArrayList<>();
            long now = NOW.getEpochSecond();
            // 23 events a day old, 31 of 40 days (body too old), 17 of 100 days (event too old), 5 exactly at 90 days
            for (int i = 0; i < 23; i++) batch.add(TestEvent.at(now - DAY).key("young").bodies(req, resp).build());
            for (int i = 0; i < 31; i++) batch.add(TestEvent.at(now - 40 * DAY).key("middle").bodies(req, resp).build());
            for (int i = 0; i < 17; i++) batch.add(TestEvent.at(now - 100 * DAY).key("old").bodies(req, resp).build());
            for (int i = 0; i < 5; i++) batch.add(TestEvent.at(now - 90 * DAY).key("edge").bodies(req, resp).build());
            repo.insert(batch);

            EventRetention retention = new EventRetention(vertx, db, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(90), Duration.ofDays(30), 4);
            EventRetention.Run run = retention.runOnce();

            assertThat(run.eventsDeleted()).isEqualTo(17);
            assertThat(run.bodiesStripped()).as("the 40-day-old and the 90-day-old (kept: not before the cutoff) bodies").isEqualTo(31 + 5);
            assertThat(count(db, "old")).isZero();
            assertThat(count(db, "edge")).as("an event exactly at the retention is kept").isEqualTo(5);
            assertThat(count(db, "middle")).isEqualTo(31);
            assertThat(withBodies(db, "middle")).isZero();
            assertThat(count(db, "young")).isEqualTo(23);
            assertThat(withBodies(db, "young")).as("young bodies untouched").isEqualTo(23);

            EventRetention.Run again = retention.runOnce();
            assertThat(again).as("nothing left to do").isEqualTo(new EventRetention.Run(0, 0));
        } finally {
            vertx.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aZeroRetentionKeepsForEver(TestDatabases.Kind kind) {
        Vertx vertx = Vertx.vertx();
        try (Database db = TestDatabases.open(kind)) {
            new EventRepository(db).insert(List.of(TestEvent.at(NOW.getEpochSecond() - 3_000 * DAY).key("ancient")
                    .bodies(new byte[] {1}, new byte[] {2}).build()));
            EventRetention.Run run = new EventRetention(vertx, db, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO, Duration.ZERO, 10).runOnce();
            assertThat(run).isEqualTo(new EventRetention.Run(0, 0));
            assertThat(withBodies(db, "ancient")).isEqualTo(1);
        } finally {
            vertx.close();
        }
    }

    static long count(Database db, String key) {
        return db.query("SELECT COUNT(*) FROM events WHERE key_id = ?", rs -> rs.getLong(1), key).getFirst();
    }

    static long withBodies(Database db, String key) {
        return db.query("SELECT COUNT(*) FROM events WHERE key_id = ? AND request IS NOT NULL AND response IS NOT NULL",
                rs -> rs.getLong(1), key).getFirst();
    }
}
