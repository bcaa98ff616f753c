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
            assertThat(db.query("SELECT COUNT(*) FROM event_bodies", rs -> rs.getLong(1)).getFirst())
                    .as("the bodies of deleted events went with them, stripped ones are gone from event_bodies").isEqualTo(23);

            EventRetention.Run again = retention.runOnce();
            assertThat(again).as("nothing left to do").isEqualTo(new EventRetention.Run(0, 0));
        } finally {
            vertx.close();
        }
    }

    /** Budgets are rebuilt from events: the spend of the events retention removes must still be in every total. */
    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void lifetimeSpendOfKeysTeamsAndUsersIsTheSameAfterOldEventsWent(TestDatabases.Kind kind) {
        Vertx vertx = Vertx.vertx();
        try (Database db = TestDatabases.open(kind)) {
            new io.bricksllm.store.UserRepository(db).insert(new io.bricksllm.store.EndUser("u-internal", "alice", "n", 1, 1,
                    List.of("prod"), null, false, "", 0, 0, "", 0, "", "", null, null));
            long now = NOW.getEpochSecond();
            List<Event> batch = new ArrayList<>();
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < 300; i++) {
                long age = (long) (random.nextDouble() * 200 * DAY); // 0 to 200 days: about half go
                batch.add(TestEvent.at(now - age).key(i % 3 == 0 ? "k1" : "k2").team(i % 2 == 0 ? "t1" : "")
                        .userId(i % 5 == 0 ? "alice" : "").tags("prod").cost(random.nextInt(1_000_000) / 1e7).build());
            }
            new EventRepository(db).insert(batch);
            Instant at = NOW;
            io.bricksllm.limits.MemorySpendLedger before = new io.bricksllm.limits.MemorySpendLedger();
            seedAll(db, before, at);

            EventRetention.Run run = new EventRetention(vertx, db, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(90), Duration.ofDays(30), 16).runOnce();
            assertThat(run.eventsDeleted()).isBetween(100L, 200L);

            io.bricksllm.limits.MemorySpendLedger after = new io.bricksllm.limits.MemorySpendLedger();
            seedAll(db, after, at);
            for (String scope : List.of("key:k1", "key:k2", "team:t1", "user:u-internal")) {
                long spent = before.totalSpent(scope).result();
                assertThat(spent).as(scope).isPositive();
                assertThat(after.totalSpent(scope).result()).as(scope).isEqualTo(spent);
            }
        } finally {
            vertx.close();
        }
    }

    /** Rollups outlive the events they summarise: retention, and a rebuild after it, leave every total as it was. */
    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void rollupTotalsOutliveRetentionAndARebuildAfterIt(TestDatabases.Kind kind) {
        Vertx vertx = Vertx.vertx();
        try (Database db = TestDatabases.open(kind)) {
            EventRepository repo = new EventRepository(db);
            long now = NOW.getEpochSecond();
            List<Event> batch = new ArrayList<>();
            java.util.Random random = new java.util.Random(11);
            for (int i = 0; i < 400; i++) {
                long age = (long) (random.nextDouble() * 200 * DAY);
                batch.add(TestEvent.at(now - age).key(i % 2 == 0 ? "k1" : "k2").team("t1").cost(random.nextInt(1_000_000) / 1e7).build());
            }
            repo.insert(batch);
            java.math.BigInteger k1 = repo.rollups().keyCostPico("k1");
            java.math.BigInteger team = repo.rollups().teamCostPico("t1");
            assertThat(k1.signum()).isPositive();

            EventRetention.Run run = new EventRetention(vertx, db, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(90), Duration.ofDays(30), 50).runOnce();
            assertThat(run.eventsDeleted()).isPositive();
            assertThat(repo.rollups().keyCostPico("k1")).isEqualTo(k1);
            assertThat(repo.rollups().teamCostPico("t1")).isEqualTo(team);

            repo.rollups().rebuild();
            assertThat(repo.rollups().keyCostPico("k1")).as("a rebuild recomputes only the days whose events are all kept").isEqualTo(k1);
            assertThat(repo.rollups().teamCostPico("t1")).isEqualTo(team);
        } finally {
            vertx.close();
        }
    }

    static void seedAll(Database db, io.bricksllm.limits.SpendLedger ledger, Instant at) {
        io.bricksllm.limits.SpendSeed.seedKeys(db, ledger, at);
        io.bricksllm.limits.SpendSeed.seedTeams(db, ledger, at);
        io.bricksllm.limits.UserSpendSeed.seedUsers(db, ledger, at);
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
        // inline (rows written before V14) or kept apart in event_bodies (issue 20.2)
        return db.query("SELECT COUNT(*) FROM events e WHERE e.key_id = ? AND ((e.request IS NOT NULL AND e.response IS NOT NULL) "
                + "OR EXISTS (SELECT 1 FROM event_bodies b WHERE b.event_id = e.event_id AND b.request IS NOT NULL AND b.response IS NOT NULL))",
                rs -> rs.getLong(1), key).getFirst();
    }
}
