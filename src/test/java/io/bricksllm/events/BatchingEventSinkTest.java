package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.store.Database;
import io.bricksllm.store.StoreException;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BatchingEventSinkTest {
    private static final Duration FLUSH = Duration.ofMillis(50);

    @TempDir
    Path spoolDir;

    private Database db;
    private EventRepository repo;
    private final List<BatchingEventSink> sinks = new ArrayList<>();

    private void open(Kind kind) {
        db = TestDatabases.open(kind);
        repo = new EventRepository(db);
    }

    private BatchingEventSink sink(int capacity, int batchSize, Duration flush) {
        return sink(capacity, batchSize, flush, 1);
    }

    private BatchingEventSink sink(int capacity, int batchSize, Duration flush, int writers) {
        BatchingEventSink s = new BatchingEventSink(repo, capacity, batchSize, flush, spoolDir, Clock.systemUTC(), writers);
        sinks.add(s);
        return s;
    }

    @AfterEach
    void tearDown() {
        sinks.forEach(BatchingEventSink::close);
        if (db != null) db.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyPublishedEventBecomesExactlyOneRow(Kind kind) {
        open(kind);
        BatchingEventSink sink = sink(10_000, 100, FLUSH);
        List<Event> events = events(2_500, 0);
        for (Event e : events) assertThat(sink.publish(e)).isTrue();
        // the writer counts a batch just after its commit: wait for both, not only the rows
        await(() -> rows() == 2_500 && sink.written() == 2_500, "all events written and counted");
        assertThat(sink.batches()).isGreaterThanOrEqualTo(25);
        assertThat(sink.spooled()).isZero();
        assertThat(sink.queueDepth()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSmallBatchIsWrittenWhenTheFlushIntervalPasses(Kind kind) {
        open(kind);
        BatchingEventSink sink = sink(1_000, 500, FLUSH);
        sink.publish(TestEvent.at(1).build());
        await(() -> rows() == 1, "the lone event flushed by time");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void closeWritesWhatIsStillQueued(Kind kind) {
        open(kind);
        BatchingEventSink sink = sink(10_000, 1_000_000, Duration.ofHours(1));
        for (Event e : events(3_000, 0)) sink.publish(e);
        sink.close();
        assertThat(rows()).isEqualTo(3_000);
        assertThat(spoolFiles()).isEmpty();
        assertThat(sink.publish(TestEvent.at(1).build())).as("after close, events go to the spool").isFalse();
        assertThat(spoolFiles()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void eventsAreSpooledWhileTheDatabaseIsDownAndReplayedOnceItIsBack(Kind kind) {
        open(kind);
        BatchingEventSink sink = sink(10_000, 50, FLUSH);
        List<Event> before = events(300, 0);
        before.forEach(sink::publish);
        await(() -> rows() == 300, "first events written");

        db.update("ALTER TABLE events RENAME TO events_away");
        List<Event> during = events(700, 300);
        during.forEach(sink::publish);
        await(() -> sink.spooled() == 700, "events spooled while the table is away");
        assertThat(spoolFiles()).isNotEmpty();

        db.update("ALTER TABLE events_away RENAME TO events");
        await(() -> rows() == 1_000, "spool replayed");
        await(() -> spoolFiles().isEmpty(), "replayed spool files deleted");
        assertThat(distinctIds()).isEqualTo(1_000);
        assertThat(sink.stats().replayed()).isEqualTo(700);

        events(10, 1_000).forEach(sink::publish);
        await(() -> rows() == 1_010, "writes resume directly");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSpoolLeftByAPreviousRunIsReplayedAtStartWithoutDuplicates(Kind kind) throws IOException {
        open(kind);
        List<Event> events = events(400, 0);
        repo.insert(events.subList(0, 100)); // some rows of the spool were written before the crash
        db.update("ALTER TABLE events RENAME TO events_away");
        BatchingEventSink first = sink(10_000, 64, FLUSH);
        events.forEach(first::publish);
        first.close(Duration.ofSeconds(2));
        assertThat(first.spooled()).isEqualTo(400);
        assertThat(spoolFiles()).isNotEmpty();

        // a crash while appending leaves a torn last line, here cut inside a multi-byte character;
        // it is skipped and the rest replays
        Path last = spoolFiles().get(spoolFiles().size() - 1);
        Files.write(last, new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xE2, (byte) 0x82},
                java.nio.file.StandardOpenOption.APPEND);

        db.update("ALTER TABLE events_away RENAME TO events");
        sink(10_000, 64, FLUSH);
        await(() -> rows() == 400, "leftover spool replayed at start");
        await(() -> spoolFiles().isEmpty(), "replayed spool deleted");
        assertThat(distinctIds()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aFullQueueSendsEventsToTheSpoolWithoutBlockingAndNoneIsLost(Kind kind) {
        open(kind);
        db.update("ALTER TABLE events RENAME TO events_away"); // the writer makes no progress
        BatchingEventSink sink = sink(10, 5, FLUSH);
        List<Event> events = events(500, 0);
        long t0 = System.nanoTime();
        int diverted = 0;
        for (Event e : events) if (!sink.publish(e)) diverted++;
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(diverted).isGreaterThan(0);
        db.update("ALTER TABLE events_away RENAME TO events");
        await(() -> rows() == 500, "every event written once the database is back");
        assertThat(distinctIds()).isEqualTo(500);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void nonJsonBodiesSurviveTheSpool(Kind kind) {
        open(kind);
        db.update("ALTER TABLE events RENAME TO events_away");
        BatchingEventSink sink = sink(100, 10, FLUSH);
        byte[] audio = new byte[4096];
        new java.util.Random(1).nextBytes(audio);
        Event e = TestEvent.at(5).bodies(audio, "plain text, not JSON \u0000".getBytes()).metadata("raw meta").build();
        sink.publish(e);
        await(() -> sink.spooled() == 1, "spooled");
        db.update("ALTER TABLE events_away RENAME TO events");
        await(() -> rows() == 1, "replayed");
        Event back = repo.find(EventFilter.all(), EventRepository.Order.NONE, 0, 0).get(0);
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void closeSpoolsEvenTheBatchOfAWriterStuckInTheDatabase(Kind kind) throws Exception {
        open(kind);
        BatchingEventSink sink = sink(10_000, 100, FLUSH);
        try (Connection locker = db.dataSource().getConnection(); Statement st = locker.createStatement()) {
            if (kind == Kind.POSTGRES) {
                locker.setAutoCommit(false);
                st.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
            } else {
                st.execute("BEGIN EXCLUSIVE");
            }
            events(300, 0).forEach(sink::publish);
            await(() -> sink.queueDepth() <= 200, "the writer took a batch and waits on the lock");
            sink.close(Duration.ofMillis(300));
            assertThat(sink.spooled()).isEqualTo(300);
            if (kind == Kind.POSTGRES) locker.rollback();
            else st.execute("ROLLBACK");
        }
        sink(10_000, 100, FLUSH); // the next run replays the spool; rows the stuck writer stored are skipped
        await(() -> rows() == 300, "every event stored");
        await(() -> spoolFiles().isEmpty(), "spool replayed");
        assertThat(distinctIds()).isEqualTo(300);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void withSeveralWritersEveryEventIsStillExactlyOneRow(Kind kind) {
        open(kind);
        BatchingEventSink sink = sink(10_000, 450, FLUSH, 3);
        List<Event> events = events(4_000, 0);
        for (Event e : events) assertThat(sink.publish(e)).isTrue();
        await(() -> rows() == 4_000 && sink.written() == 4_000, "all events written and counted");
        assertThat(distinctIds()).isEqualTo(4_000);
        assertThat(sink.spooled()).isZero();
    }

    @Test
    void withSeveralWritersOneBatchIsInsertedOnThatManyConnectionsAtOnce() throws Exception {
        open(Kind.POSTGRES);
        BatchingEventSink sink = sink(10_000, 3 * BatchingEventSink.MIN_PART, FLUSH, 3);
        try (Connection locker = db.dataSource().getConnection(); Statement st = locker.createStatement()) {
            locker.setAutoCommit(false);
            st.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
            events(3 * BatchingEventSink.MIN_PART, 0).forEach(sink::publish);
            // each part's INSERT waits on the lock in its own backend: three of them at the same time
            await(() -> insertsWaitingOnALock() == 3, "three parts of one batch waiting at once");
            locker.rollback();
        }
        await(() -> rows() == 3 * BatchingEventSink.MIN_PART && sink.written() == 3 * BatchingEventSink.MIN_PART, "all parts stored");
        assertThat(sink.batches()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void withSeveralWritersAnOutageSpoolsWholeBatchesAndTheReplayStoresEachEventOnce(Kind kind) {
        open(kind);
        BatchingEventSink sink = sink(10_000, 400, FLUSH, 2);
        events(800, 0).forEach(sink::publish);
        await(() -> rows() == 800, "first events written");

        db.update("ALTER TABLE events RENAME TO events_away");
        events(1_200, 800).forEach(sink::publish);
        await(() -> sink.spooled() == 1_200, "events spooled while the table is away");

        db.update("ALTER TABLE events_away RENAME TO events");
        await(() -> rows() == 2_000, "spool replayed");
        assertThat(distinctIds()).isEqualTo(2_000);
    }

    /** Backends whose event insert (a WITH ... INSERT INTO events statement since bodies are written with it) waits on a lock. */
    private long insertsWaitingOnALock() {
        return db.query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO events (%'",
                rs -> rs.getLong(1)).get(0);
    }

    @Test
    void dataErrorsAreToldApartFromOutages() {
        assertThat(BatchingEventSink.isDataError(new StoreException("x", new SQLException("too long", "22001")))).isTrue();
        assertThat(BatchingEventSink.isDataError(new StoreException("x", new SQLException("no table", "42P01")))).isFalse();
        assertThat(BatchingEventSink.isDataError(new StoreException("x", new SQLException("refused", "08001")))).isFalse();
        assertThat(BatchingEventSink.isDataError(new StoreException("x", new SQLException("no such table", null, 1)))).isFalse();
        assertThat(BatchingEventSink.isDataError(new StoreException("x", new SQLException("constraint", null, 19)))).isTrue();
        assertThat(BatchingEventSink.isDataError(new IllegalStateException("pool closed"))).isFalse();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static List<Event> events(int n, int from) {
        List<Event> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(TestEvent.at(1_700_000_000L + i).id("ev-" + i).cost(i / 1024.0).latency(i % 97).tags("t" + (i % 3))
                    .bodies(("{\"i\":" + i + "}").getBytes(), null).build());
        }
        return out;
    }

    private long rows() {
        try {
            return db.query("SELECT COUNT(*) FROM events", rs -> rs.getLong(1)).get(0);
        } catch (StoreException e) {
            return -1; // table renamed away
        }
    }

    private long distinctIds() {
        return db.query("SELECT COUNT(DISTINCT event_id) FROM events", rs -> rs.getLong(1)).get(0);
    }

    private List<Path> spoolFiles() {
        try (Stream<Path> s = Files.list(spoolDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("events-")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
