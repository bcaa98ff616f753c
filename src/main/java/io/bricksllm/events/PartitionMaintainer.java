package io.bricksllm.events;

import io.bricksllm.events.TimePartitions.Partition;
import io.bricksllm.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL retention by partition (issue 20.3): keeps the day partitions of the tables of {@link TimePartitions#TABLES}
 * that V15 partitioned. Each run, on a worker thread ({@link EventRetention} calls it):
 * <ol>
 * <li>moves rows that fell into a DEFAULT partition (a day without its partition: a spool replay of old events, a
 * gateway down for longer than the days created ahead) into their day partition;
 * <li>creates the partitions of today and the next {@code daysAhead} days;
 * <li>drops the partitions whose whole range is older than the retention, the spend of the events first moved to
 * {@code event_spend_archive} in the same transaction (as the batched delete does), so budgets never change. A
 * partition that straddles the cutoff is kept until it is wholly old: deleting its old rows would bring back the row
 * by row DELETE and its bloat that partitions are there to avoid, and it costs at most one day more of keeping. The
 * rollups are not touched (they outlive the events, see {@link EventRollups#rebuild}).
 * </ol>
 * Writes and reads never wait long on it: each step is a short transaction with {@code lock_timeout}
 * ({@code lockTimeout}), so DDL that cannot get its lock soon (a long export reading the events, say) gives up
 * instead of queueing every insert behind it, and is tried again at the next run. (DETACH PARTITION CONCURRENTLY is not
 * usable here: it cannot run inside the transaction that archives the spend, nor on a table with a DEFAULT partition.)
 * A session advisory lock keeps two gateways sharing one database from maintaining at the same time (which could
 * archive a partition's spend twice).
 */
public final class PartitionMaintainer {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintainer.class);
    /** pg_try_advisory_lock key: "bricksllm partitions". */
    private static final long ADVISORY_KEY = 0x6272_6963_6b70_6172L;

    /**
     * What one run did; {@code busy} 1: it stopped at a lock it could not get in time (the rest is tried at the next
     * run, so that one long reader costs the writers one lock timeout, not one per partition), or another gateway is
     * maintaining.
     */
    /**
     * {@code bodiesDropped}: rows of dropped body partitions whose events are kept (bodies past EVENT_BODY_RETENTION);
     * bodies of days whose events were dropped too went with them and are not counted again.
     */
    public record Run(int partitionsCreated, long rowsMoved, int partitionsDropped, long eventsDropped, int bodyPartitionsDropped,
                      long bodiesDropped, int busy) {
        static final Run NONE = new Run(0, 0, 0, 0, 0, 0, 0);
    }

    private final Database db;
    private final Clock clock;
    private final int daysAhead;
    private final Duration lockTimeout;

    public PartitionMaintainer(Database db, Clock clock, int daysAhead, Duration lockTimeout) {
        if (db.dialect() != Database.Dialect.POSTGRES) throw new IllegalArgumentException("partitions are PostgreSQL only");
        if (daysAhead < 1) throw new IllegalArgumentException("create at least tomorrow's partition ahead");
        this.db = db;
        this.clock = clock;
        this.daysAhead = daysAhead;
        this.lockTimeout = lockTimeout;
    }

    /** True when V15 partitioned the events (PostgreSQL). */
    public boolean eventsPartitioned() {
        return db.withConnection(c -> TimePartitions.isPartitioned(c, "events"));
    }

    /** True when the bodies are kept apart (V14) in a partitioned table: their retention drops partitions too. */
    public boolean bodiesPartitioned() {
        return db.withConnection(c -> TimePartitions.isPartitioned(c, "event_bodies"));
    }

    /**
     * One run. Blocking.
     *
     * @param eventCutoff events older than this (created_at &lt; cutoff) are past their retention; Long.MIN_VALUE: keep all
     * @param bodyCutoff  the same for the bodies of {@code event_bodies}
     */
    public Run run(long eventCutoff, long bodyCutoff) {
        return db.withConnection(c -> {
            boolean auto = c.getAutoCommit();
            if (!Database.query(c, "SELECT pg_try_advisory_lock(?)", rs -> rs.getBoolean(1), ADVISORY_KEY).get(0)) {
                return new Run(0, 0, 0, 0, 0, 0, 1); // another gateway is at it
            }
            try {
                c.setAutoCommit(false);
                return maintain(c, eventCutoff, bodyCutoff);
            } finally {
                c.setAutoCommit(auto);
                Database.query(c, "SELECT pg_advisory_unlock(?)", rs -> rs.getBoolean(1), ADVISORY_KEY);
            }
        });
    }

    private Run maintain(Connection c, long eventCutoff, long bodyCutoff) throws SQLException {
        int created = 0, dropped = 0, bodiesDropped = 0;
        long moved = 0, eventsDropped = 0, bodyRows = 0;
        long today = TimePartitions.dayOf(clock.instant().getEpochSecond());
        for (String table : TimePartitions.TABLES) {
            if (!inTransaction(c, () -> TimePartitions.isPartitioned(c, table))) continue;
            boolean events = table.equals("events");
            // 1. rows in DEFAULT go to their day, so that old ones are dropped below and new ones are not scanned by
            // every later CREATE ... PARTITION OF (which checks the default holds nothing of the new range)
            String dflt = TimePartitions.defaultName(table);
            List<Long> days = inTransaction(c, () -> TimePartitions.kind(c, dflt).isEmpty() ? List.of() : TimePartitions.daysWithRows(c, dflt));
            for (long day : days) {
                Long n = step(c, () -> moveFromDefault(c, table, day));
                if (n == null) return new Run(created, moved, dropped, eventsDropped, bodiesDropped, bodyRows, 1);
                moved += n;
                created++;
            }
            // 2. partitions ahead
            List<Partition> parts = inTransaction(c, () -> TimePartitions.partitions(c, table));
            for (long day = today; day <= today + daysAhead * TimePartitions.DAY; day += TimePartitions.DAY) {
                long d = day;
                if (parts.stream().anyMatch(p -> !p.isDefault() && p.from() <= d && d < p.to())) continue;
                if (step(c, () -> {
                    TimePartitions.createDay(c, table, d);
                    return 1L;
                }) == null) return new Run(created, moved, dropped, eventsDropped, bodiesDropped, bodyRows, 1);
                created++;
            }
            // 3. partitions past the retention
            long cutoff = events ? eventCutoff : Math.max(eventCutoff, bodyCutoff);
            if (cutoff == Long.MIN_VALUE) continue;
            for (Partition p : inTransaction(c, () -> TimePartitions.partitions(c, table))) {
                if (!p.wholeRangeBefore(cutoff)) continue;
                Long n = step(c, () -> drop(c, p, events));
                if (n == null) return new Run(created, moved, dropped, eventsDropped, bodiesDropped, bodyRows, 1);
                if (events) {
                    dropped++;
                    eventsDropped += n;
                } else {
                    bodiesDropped++;
                    if (!p.wholeRangeBefore(eventCutoff)) bodyRows += n;
                }
            }
        }
        return new Run(created, moved, dropped, eventsDropped, bodiesDropped, bodyRows, 0);
    }

    /** Moves the rows of one day out of the default partition into the (new) partition of that day; returns how many. */
    private long moveFromDefault(Connection c, String table, long day) throws SQLException {
        String dflt = TimePartitions.defaultName(table);
        // no writes into the default meanwhile (reads go on); CREATE ... PARTITION OF below checks it holds none of the day
        Database.update(c, "LOCK TABLE " + dflt + " IN EXCLUSIVE MODE");
        Database.update(c, "CREATE TEMP TABLE partition_move (LIKE " + table + ") ON COMMIT DROP");
        String range = "created_at >= " + day + (TimePartitions.dayEnd(day).equals("MAXVALUE") ? "" : " AND created_at < " + (day + TimePartitions.DAY));
        long n = Database.update(c, "WITH moved AS (DELETE FROM " + dflt + " WHERE " + range + " RETURNING *) "
                + "INSERT INTO partition_move SELECT * FROM moved");
        TimePartitions.createDay(c, table, day);
        Database.update(c, "INSERT INTO " + table + " SELECT * FROM partition_move");
        return n;
    }

    /**
     * Drops one partition past its retention; for the events, their spend goes to the archive first, in the same
     * transaction, so the seeds (one snapshot each) see either the events or their archived spend, never both or none.
     */
    private long drop(Connection c, Partition p, boolean events) throws SQLException {
        // writes into it (a spool replay of old events) wait until the drop, so the archive sums exactly what goes
        Database.update(c, "LOCK TABLE " + p.name() + " IN SHARE ROW EXCLUSIVE MODE");
        long rows = Database.query(c, "SELECT COUNT(*) FROM " + p.name(), rs -> rs.getLong(1)).get(0);
        if (events && rows > 0) SpendArchive.archive(c, p.name(), "");
        Database.update(c, "DROP TABLE " + p.name());
        return rows;
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws SQLException;
    }

    /** One short transaction with the lock timeout; null when a lock was not granted in time (tried again next run). */
    private <T> T step(Connection c, Step<T> work) throws SQLException {
        try {
            Database.update(c, "SET LOCAL lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException e) {
            c.rollback();
            if ("55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState())) { // lock_not_available, deadlock_detected
                LOG.info("event partitions: {} (tried again at the next run)", e.getMessage());
                return null;
            }
            throw e;
        } catch (RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private static <T> T inTransaction(Connection c, Step<T> work) throws SQLException {
        try {
            return work.run();
        } finally {
            c.rollback(); // reads only: end the transaction so that no snapshot or lock is held between steps
        }
    }
}
