package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.PostgresSettings;
import io.bricksllm.limits.MemorySpendLedger;
import io.bricksllm.store.Database;
import io.bricksllm.testing.TestDatabases;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * Issue 20.3 on PostgreSQL: V15 turns an events table that already holds rows into one partitioned by day (every row,
 * key and index kept; SQLite untouched), partitions are created ahead and the DEFAULT one emptied, retention drops
 * whole partitions while spend and rollup totals stay, and inserts go on while maintenance waits for its locks.
 */
class EventPartitionsTest {
    static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
    static final long DAY = 86_400;
    static final List<String> EVENT_INDEXES = List.of("events_pkey", "events_created_at_id_idx", "events_key_id_created_at_id_idx",
            "events_team_id_created_at_id_idx", "events_custom_id_created_at_id_idx", "events_user_id_created_at_id_idx",
            "events_key_id_custom_id_idx"); // the last one V16's (custom-ids of a key), made after the partitioning

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    /** A database of one kind migrated to some version, then opened by the gateway (which migrates the rest). */
    private record Target(TestDatabases.Kind kind, PostgresSettings pg, Path sqlite) {
        static Target fresh(TestDatabases.Kind kind) throws Exception {
            return kind == TestDatabases.Kind.POSTGRES ? new Target(kind, TestDatabases.freshPostgres(), null)
                    : new Target(kind, null, Files.createTempDirectory("bricksllm-partitions").resolve("test.db"));
        }

        DataSource dataSource() {
            if (pg != null) {
                PGSimpleDataSource ds = new PGSimpleDataSource();
                ds.setUrl(pg.jdbcUrl());
                ds.setUser(pg.username());
                return ds;
            }
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl("jdbc:sqlite:" + sqlite);
            return ds;
        }

        void migrateTo(String version) {
            Database.migrations(dataSource(), pg != null ? Database.Dialect.POSTGRES : Database.Dialect.SQLITE).target(version).load().migrate();
        }

        Database open() {
            return pg != null ? Database.postgres(pg) : Database.sqlite(sqlite);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void migratingEventsThatAreAlreadyStoredKeepsEveryRowKeyAndIndex(TestDatabases.Kind kind) throws Exception {
        Target target = Target.fresh(kind);
        // the bodies kept apart (V14, branch bodies) are partitioned by V15 too: made here by hand until V14 is merged
        boolean v14 = EventPartitionsTest.class.getResource("/db/migration/V14__event_bodies.sql") != null;
        target.migrateTo(v14 ? "14" : "13");
        List<String> ids = new ArrayList<>();
        boolean postgres = kind == TestDatabases.Kind.POSTGRES;
        try (Connection c = target.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (event_id, created_at, key_id, team_id, user_id, "
                    + "custom_id, cost_in_usd, request) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 500; i++) {
                    String id = UUID.randomUUID().toString();
                    ids.add(id);
                    // 40 days of events, and one from 2001 (a day of its own, far from the others)
                    long at = i == 0 ? 1_000_000_000L : NOW.getEpochSecond() - (i % 40) * DAY - i;
                    ps.setString(1, id);
                    ps.setLong(2, at);
                    ps.setString(3, "k" + i % 3);
                    ps.setString(4, i % 2 == 0 ? "t1" : "");
                    ps.setString(5, i % 5 == 0 ? "alice" : "");
                    ps.setString(6, i % 7 == 0 ? "c" + i : "");
                    ps.setDouble(7, i / 1000.0);
                    ps.setBytes(8, new byte[] {(byte) i});
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (postgres) {
                try (var st = c.createStatement()) {
                    if (!v14) {
                        st.execute("CREATE TABLE event_bodies (event_id VARCHAR(64) PRIMARY KEY, created_at BIGINT NOT NULL, "
                                + "codec SMALLINT NOT NULL, request BYTEA, response BYTEA)");
                        st.execute("CREATE INDEX event_bodies_created_at_idx ON event_bodies (created_at)");
                    }
                    st.execute("INSERT INTO event_bodies (event_id, created_at, codec, request) SELECT event_id, created_at, 0, request FROM events"); // codec 0: stored as is
                }
            }
        }
        List<String> bodyIndexes = new ArrayList<>();
        if (postgres) {
            try (Connection c = target.dataSource().getConnection(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = 'event_bodies'")) {
                while (rs.next()) bodyIndexes.add(rs.getString(1));
            }
            assertThat(bodyIndexes).contains("event_bodies_pkey");
        }

        try (Database db = target.open()) {
            assertThat(db.query("SELECT COUNT(*), COUNT(DISTINCT event_id) FROM events", rs -> List.of(rs.getLong(1), rs.getLong(2))).get(0))
                    .containsExactly(500L, 500L);
            // paging in stable order through every row, cursor by cursor
            EventRepository repo = new EventRepository(db);
            Set<String> seen = new HashSet<>();
            EventCursor after = null;
            while (true) {
                List<Event> page = new ArrayList<>();
                EventRepository.PageEnd end = repo.page(EventFilter.all(), EventRepository.Order.DATE_ASC, after, null, 0, 37, true, page::add);
                for (Event e : page) assertThat(seen.add(e.id())).as("each event once").isTrue();
                if (end.rows() < 37) break;
                after = end.last();
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(repo.count(EventFilter.all().withKeyIds(List.of("k1")))).isEqualTo(167);
            assertThat(repo.count(EventFilter.all().withUserIds(List.of("alice")))).isEqualTo(100);
            // a replayed event (same id, same time) is skipped, as before
            Event first = db.query("SELECT event_id, created_at FROM events WHERE event_id = ?",
                    rs -> TestEvent.at(rs.getLong(2)).id(rs.getString(1)).build(), ids.get(3)).get(0);
            assertThat(repo.insert(List.of(first))).isZero();
            assertThat(repo.count(EventFilter.all())).isEqualTo(500);

            List<String> indexes = postgres
                    ? db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'events'", rs -> rs.getString(1))
                    : db.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND name NOT LIKE 'sqlite_%'", rs -> rs.getString(1));
            if (!postgres) {
                assertThat(indexes).containsExactlyInAnyOrderElementsOf(EVENT_INDEXES.subList(1, EVENT_INDEXES.size()));
                assertThat(db.query("SELECT type FROM sqlite_master WHERE name = 'events'", rs -> rs.getString(1))).containsExactly("table");
                return;
            }
            assertThat(indexes).containsExactlyInAnyOrderElementsOf(EVENT_INDEXES);
            assertThat(db.query("SELECT indexdef FROM pg_indexes WHERE indexname = 'events_custom_id_created_at_id_idx'", rs -> rs.getString(1)).get(0))
                    .as("partial indexes stay partial").contains("WHERE");
            db.withConnection(c -> {
                assertThat(TimePartitions.kind(c, "events")).isEqualTo("p");
                assertThat(Database.query(c, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'events_pkey'", rs -> rs.getString(1)))
                        .containsExactly("PRIMARY KEY (event_id, created_at)");
                List<TimePartitions.Partition> parts = TimePartitions.partitions(c, "events");
                assertThat(parts.getLast().isDefault()).isTrue();
                assertThat(Database.query(c, "SELECT COUNT(*) FROM events_default", rs -> rs.getLong(1))).containsExactly(0L);
                Set<Long> days = new HashSet<>();
                for (var p : parts) if (!p.isDefault()) days.add(p.from());
                assertThat(days).contains(TimePartitions.dayOf(1_000_000_000L), TimePartitions.dayOf(NOW.getEpochSecond()),
                        TimePartitions.dayOf(NOW.getEpochSecond() - 39 * DAY - 499));
                long today = TimePartitions.dayOf(System.currentTimeMillis() / 1000);
                for (int i = 0; i <= 7; i++) assertThat(days).as("created ahead").contains(today + i * DAY);
                for (var p : parts) if (!p.isDefault()) assertThat(p.to() - p.from()).isEqualTo(DAY);

                assertThat(TimePartitions.kind(c, "event_bodies")).as("the bodies are partitioned the same way").isEqualTo("p");
                assertThat(Database.query(c, "SELECT COUNT(*) FROM event_bodies", rs -> rs.getLong(1))).containsExactly(500L);
                assertThat(Database.query(c, "SELECT indexname FROM pg_indexes WHERE tablename = 'event_bodies'", rs -> rs.getString(1)))
                        .as("every index of the bodies, same names").containsExactlyInAnyOrderElementsOf(bodyIndexes);
                assertThat(Database.query(c, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'event_bodies_pkey'", rs -> rs.getString(1)))
                        .containsExactly("PRIMARY KEY (event_id, created_at)");
                return null;
            });
        }
    }

    @Test
    void partitionsAreCreatedAheadAndRowsThatFellIntoDefaultMoveToTheirDay() {
        try (Database db = TestDatabases.open(TestDatabases.Kind.POSTGRES)) {
            long now = NOW.getEpochSecond();
            EventRepository repo = new EventRepository(db);
            // no partition covers these days yet (V15 made today's, in real time): they land in DEFAULT
            repo.insert(List.of(TestEvent.at(now - 3 * DAY).build(), TestEvent.at(now).build(), TestEvent.at(now + 2 * DAY).build()));
            assertThat(db.query("SELECT COUNT(*) FROM events_default", rs -> rs.getLong(1))).containsExactly(3L);

            PartitionMaintainer maintainer = new PartitionMaintainer(db, Clock.fixed(NOW, ZoneOffset.UTC), 7, Duration.ofMillis(200));
            PartitionMaintainer.Run run = maintainer.run(Long.MIN_VALUE, Long.MIN_VALUE);
            assertThat(run.rowsMoved()).isEqualTo(3);
            assertThat(run.partitionsDropped()).isZero();
            assertThat(db.query("SELECT COUNT(*) FROM events_default", rs -> rs.getLong(1))).containsExactly(0L);
            assertThat(repo.count(EventFilter.all())).isEqualTo(3);
            for (long d = -3; d <= 7; d++) {
                if (d == -2 || d == -1) continue;
                assertThat(exists(db, TimePartitions.partitionName("events", TimePartitions.dayOf(now + d * DAY)))).as("day %d", d).isTrue();
            }
            assertThat(db.query("SELECT COUNT(*) FROM " + TimePartitions.partitionName("events", TimePartitions.dayOf(now - 3 * DAY)),
                    rs -> rs.getLong(1))).containsExactly(1L);
            assertThat(maintainer.run(Long.MIN_VALUE, Long.MIN_VALUE)).as("nothing left to do").isEqualTo(PartitionMaintainer.Run.NONE);
        }
    }

    /**
     * The same retention on both databases: PostgreSQL drops the partitions wholly past it, SQLite deletes in batches;
     * events at noon each day, so the partition that straddles the cutoff holds only the event exactly at it (kept by both).
     */
    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aShortRetentionDropsWholePartitionsAndLeavesSpendAndRollupsAsTheyWere(TestDatabases.Kind kind) {
        try (Database db = TestDatabases.open(kind)) {
            boolean postgres = kind == TestDatabases.Kind.POSTGRES;
            new io.bricksllm.store.UserRepository(db).insert(new io.bricksllm.store.EndUser("u-internal", "alice", "n", 1, 1,
                    List.of("prod"), null, false, "", 0, 0, "", 0, "", "", null, null));
            long now = NOW.getEpochSecond();
            EventRepository repo = new EventRepository(db);
            List<Event> batch = new ArrayList<>();
            java.util.Random random = new java.util.Random(5);
            for (int k = 0; k < 60; k++) {
                for (int i = 0; i < 5; i++) {
                    batch.add(TestEvent.at(now - k * DAY).key(i % 2 == 0 ? "k1" : "k2").team(i % 3 == 0 ? "t1" : "")
                            .userId(i == 4 ? "alice" : "").tags("prod").cost(random.nextInt(1_000_000) / 1e7).build());
                }
            }
            repo.insert(batch);
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            // a first run with no retention only creates the day partitions (the rows are in DEFAULT: no partition covered them)
            EventRetention keepAll = new EventRetention(vertx, db, clock, Duration.ZERO, Duration.ZERO, 16);
            assertThat(keepAll.runOnce()).isEqualTo(new EventRetention.Run(0, 0));
            String oldPartition = TimePartitions.partitionName("events", TimePartitions.dayOf(now - 40 * DAY));
            if (postgres) assertThat(exists(db, oldPartition)).isTrue();

            MemorySpendLedger before = new MemorySpendLedger();
            EventRetentionTest.seedAll(db, before, NOW);
            BigInteger k1 = repo.rollups().keyCostPico("k1");
            BigInteger t1 = repo.rollups().teamCostPico("t1");
            long partitionsBefore = postgres ? partitionCount(db) : 0;

            EventRetention.Run run = new EventRetention(vertx, db, clock, Duration.ofDays(31), Duration.ZERO, 16).runOnce();

            assertThat(run.eventsDeleted()).as("days 32 to 59").isEqualTo(28 * 5);
            assertThat(repo.count(EventFilter.all())).isEqualTo(32 * 5);
            assertThat(repo.count(EventFilter.all().withRange(now - 31 * DAY, now - 31 * DAY, true)))
                    .as("the events exactly at the cutoff are kept").isEqualTo(5);
            if (postgres) {
                assertThat(run.partitionsDropped()).isEqualTo(28);
                assertThat(exists(db, oldPartition)).as("dropped: gone from pg_class").isFalse();
                assertThat(partitionCount(db)).isEqualTo(partitionsBefore - 28);
                long cutoff = now - 31 * DAY;
                db.withConnection(c -> {
                    for (var p : TimePartitions.partitions(c, "events")) assertThat(p.wholeRangeBefore(cutoff)).as(p.name()).isFalse();
                    return null;
                });
            }
            MemorySpendLedger after = new MemorySpendLedger();
            EventRetentionTest.seedAll(db, after, NOW);
            for (String scope : List.of("key:k1", "key:k2", "team:t1", "user:u-internal")) {
                long spent = before.totalSpent(scope).result();
                assertThat(spent).as(scope).isPositive();
                assertThat(after.totalSpent(scope).result()).as(scope).isEqualTo(spent);
            }
            assertThat(repo.rollups().keyCostPico("k1")).isEqualTo(k1);
            assertThat(repo.rollups().teamCostPico("t1")).isEqualTo(t1);
            repo.rollups().rebuild();
            assertThat(repo.rollups().keyCostPico("k1")).as("a rebuild after the drop").isEqualTo(k1);
            assertThat(new EventRetention(vertx, db, clock, Duration.ofDays(31), Duration.ZERO, 16).runOnce())
                    .as("nothing left to do").isEqualTo(new EventRetention.Run(0, 0));
        }
    }

    /**
     * A long read (an export, say) holds its lock on the events: the drops give up after the lock timeout instead of
     * queueing every insert behind them, and succeed at the next run; inserts never fail and never wait long.
     */
    @Test
    void insertsGoOnWhileMaintenanceWaitsForALongReadAndWhileItDrops() throws Exception {
        try (Database db = TestDatabases.open(TestDatabases.Kind.POSTGRES)) {
            long now = NOW.getEpochSecond();
            EventRepository repo = new EventRepository(db);
            List<Event> batch = new ArrayList<>();
            for (int k = 0; k < 45; k++) for (int i = 0; i < 20; i++) batch.add(TestEvent.at(now - k * DAY - i).key("k1").cost(0.001).build());
            repo.insert(batch);
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            new EventRetention(vertx, db, clock, Duration.ZERO, Duration.ZERO, 500).runOnce(); // the day partitions
            BigInteger spend = repo.rollups().keyCostPico("k1");

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger inserted = new AtomicInteger();
            AtomicLong slowest = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    repo.insert(List.of(TestEvent.at(now).key("live").build()));
                    slowest.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    inserted.incrementAndGet();
                }
            });
            EventRetention retention = new EventRetention(vertx, db, clock, Duration.ofDays(31), Duration.ZERO, 500);
            try (Connection reader = db.dataSource().getConnection()) {
                reader.setAutoCommit(false);
                try (var st = reader.createStatement()) {
                    st.executeQuery("SELECT COUNT(*) FROM events").close(); // its locks last until the transaction ends
                }
                io.bricksllm.testing.Poll.until(Duration.ofSeconds(10), "the writer to run", () -> inserted.get() > 5);
                int before = inserted.get();
                long t0 = System.nanoTime();
                EventRetention.Run blocked = retention.runOnce();
                assertThat(blocked.partitionsDropped()).as("the first drop waits for the reader: the run gives up").isZero();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("one lock timeout, not one per partition").isLessThan(2_000);
                assertThat(partitionExists(db, now - 40 * DAY)).isTrue();
                int during = inserted.get() - before;
                assertThat(during).as("inserts went on while the drops waited").isPositive();
                reader.commit();
            }
            EventRetention.Run run = retention.runOnce();
            assertThat(run.partitionsDropped()).as("days 32 to 44, at the next run").isEqualTo(13);
            assertThat(partitionExists(db, now - 40 * DAY)).isFalse();
            int afterDrop = inserted.get();
            io.bricksllm.testing.Poll.until(Duration.ofSeconds(10), "inserts after the drops", () -> inserted.get() > afterDrop + 5);
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS); // rethrows an insert that failed
            assertThat(TimeUnit.NANOSECONDS.toMillis(slowest.get())).as("the slowest insert (lock timeout 200 ms per step)").isLessThan(3_000);
            assertThat(repo.count(EventFilter.all().withKeyIds(List.of("live")))).isEqualTo(inserted.get());
            assertThat(repo.rollups().keyCostPico("k1")).isEqualTo(spend);
        }
    }

    @Test
    void partitionNamesArePlainIdentifiersWhateverTheTime() {
        assertThat(TimePartitions.partitionName("events", 0)).isEqualTo("events_p19700101");
        assertThat(TimePartitions.partitionName("events", TimePartitions.dayOf(NOW.getEpochSecond()))).isEqualTo("events_p20260630");
        assertThat(TimePartitions.dayOf(-1)).isEqualTo(-DAY);
        for (long t : new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE, 400_000_000_000L}) {
            assertThat(TimePartitions.partitionName("events", TimePartitions.dayOf(t))).matches("[a-z0-9_]+");
        }
        assertThat(TimePartitions.dayEnd(TimePartitions.dayOf(Long.MAX_VALUE))).isEqualTo("MAXVALUE");
    }

    private static boolean partitionExists(Database db, long at) {
        return exists(db, TimePartitions.partitionName("events", TimePartitions.dayOf(at)));
    }

    static boolean exists(Database db, String table) {
        return !db.query("SELECT 1 FROM pg_class WHERE relname = ?", rs -> 1, table).isEmpty();
    }

    static long partitionCount(Database db) {
        return db.query("SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'events'::regclass", rs -> rs.getLong(1)).get(0);
    }

}
