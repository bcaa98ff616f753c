package io.bricksllm.events;

import io.bricksllm.store.Database;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the events table to {@code EVENT_RETENTION} and request/response bodies to {@code EVENT_BODY_RETENTION}
 * (issue 20.3), in the background: every run deletes (or strips the bodies of) at most {@code batch} rows per short
 * transaction, so the event writer and the admin API's reads wait for one small batch at a time, never a bulk
 * delete. SQLite reuses the freed pages for new events (the file does not grow while old events go); PostgreSQL's
 * autovacuum reclaims the rows. Spend outlives the events it sums: each deleted batch's cost moves, in the batch's
 * transaction, to {@code event_spend_archive} (per key, team, and user id with its key's tags), which the spend seeds
 * add to what the events kept still sum, so a lifetime spend and its budget never change because old events went.
 * (Periods — the monthly budget window at most — are rebuilt from events younger than any retention allowed.)
 *
 * <p>PostgreSQL (V15): the events are partitioned by day and a {@link PartitionMaintainer} drops whole partitions past the
 * retention instead (their spend archived the same way), keeps partitions created ahead and empties the DEFAULT one;
 * the batched delete is SQLite's.
 *
 * <p>Bodies are stripped oldest first from a watermark kept in memory (rows below it were already stripped), so a run
 * walks only the rows that crossed the body retention since the last run; after a restart the first run walks the
 * whole body-retention gap once.
 */
public final class EventRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);

    /** What one run removed. */
    public record Run(long eventsDeleted, long bodiesStripped, int partitionsDropped) {
        public Run(long eventsDeleted, long bodiesStripped) {
            this(eventsDeleted, bodiesStripped, 0);
        }
    }

    /** Partitions created ahead of today on PostgreSQL: a week of runs may fail before a write lands in DEFAULT. */
    static final int DAYS_AHEAD = 7;
    /** How long a partition step waits for its lock before giving up until the next run (writes queue behind it meanwhile). */
    static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);

    private final Vertx vertx;
    private final Database db;
    private final Clock clock;
    private final Duration events;
    private final Duration bodies;
    private final int batch;
    private final PartitionMaintainer partitions; // PostgreSQL only
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long bodyWatermark;
    private volatile long timer = -1;

    /**
     * @param events how long events are kept; zero: for ever
     * @param bodies how long their bodies are kept (at most {@code events}); zero: as long as their events
     * @param batch  rows per transaction
     */
    public EventRetention(Vertx vertx, Database db, Clock clock, Duration events, Duration bodies, int batch) {
        if (!events.isZero() && bodies.compareTo(events) > 0) throw new IllegalArgumentException("bodies cannot be kept longer than their events");
        if (batch <= 0) throw new IllegalArgumentException("batch must be positive");
        this.vertx = vertx;
        this.db = db;
        this.clock = clock;
        this.events = events;
        this.bodies = bodies;
        this.batch = batch;
        this.partitions = db.dialect() == Database.Dialect.POSTGRES ? new PartitionMaintainer(db, clock, DAYS_AHEAD, LOCK_TIMEOUT) : null;
    }

    /**
     * Runs a minute after start-up (not during it) and then every {@code interval}, on a worker thread; a run still going
     * when the next is due is not doubled.
     */
    public void start(Duration interval) {
        timer = vertx.setPeriodic(Math.min(60_000, interval.toMillis()), interval.toMillis(), id -> runInBackground());
    }

    private void runInBackground() {
        if (!running.compareAndSet(false, true)) return;
        vertx.executeBlocking(this::runOnce, false).onComplete(ar -> {
            running.set(false);
            if (ar.failed()) {
                LOG.warn("event retention run failed (tried again at the next interval): {}", ar.cause().toString());
            } else if (ar.result().eventsDeleted() > 0 || ar.result().bodiesStripped() > 0) {
                LOG.info("event retention: {} events older than {} deleted, bodies of {} events older than {} removed",
                        ar.result().eventsDeleted(), events, ar.result().bodiesStripped(), bodies);
            }
        });
    }

    /** One pass: blocking, batch by batch. */
    public Run runOnce() {
        long now = clock.instant().getEpochSecond();
        long eventCutoff = events.isZero() ? Long.MIN_VALUE : now - events.toSeconds();
        long deleted = 0, partitionBodies = 0;
        int dropped = 0;
        int n;
        if (partitions != null && partitions.eventsPartitioned()) {
            long bodyCutoff = bodies.isZero() ? Long.MIN_VALUE : now - bodies.toSeconds();
            PartitionMaintainer.Run r = partitions.run(eventCutoff, bodyCutoff);
            deleted = r.eventsDropped();
            dropped = r.partitionsDropped();
            partitionBodies = r.bodiesDropped();
            if (r.partitionsDropped() > 0 || r.busy() > 0) LOG.info("event partitions: {}", r);
        } else if (!events.isZero()) {
            do {
                n = db.write(c -> deleteBatch(c, eventCutoff));
                deleted += n;
            } while (n == batch);
        }
        long stripped = partitionBodies;
        if (!bodies.isZero()) {
            long bodyCutoff = now - bodies.toSeconds();
            long from = Math.max(bodyWatermark, eventCutoff);
            // PostgreSQL with partitioned bodies: the maintainer dropped whole body partitions above
            if (partitions == null || !partitions.bodiesPartitioned()) stripped += deleteBodies(from, bodyCutoff);
            // bodies written inline before V14
            do {
                n = db.update(stripBatch(), db.dialect() == Database.Dialect.SQLITE
                        ? new Object[] {from, bodyCutoff, batch} : new Object[] {from, bodyCutoff, from, bodyCutoff, batch});
                stripped += n;
            } while (n >= batch);
            bodyWatermark = bodyCutoff;
        }
        return new Run(deleted, stripped, dropped);
    }

    /**
     * One batch, oldest first: its ids are read once, so the archive and the delete see the same rows even while a
     * spool replay inserts old events beside them.
     */
    private int deleteBatch(Connection c, long cutoff) throws SQLException {
        List<String> ids = Database.query(c, "SELECT event_id FROM events WHERE created_at < ? ORDER BY created_at LIMIT ?",
                rs -> rs.getString(1), cutoff, batch);
        if (ids.isEmpty()) return 0;
        String in = "event_id IN (" + String.join(",", Collections.nCopies(ids.size(), "?")) + ")";
        Object[] params = ids.toArray();
        SpendArchive.archive(c, "events", in, params);
        Database.update(c, "DELETE FROM event_bodies WHERE " + in, params); // bodies kept apart (V14) go with their events
        return Database.update(c, "DELETE FROM events WHERE " + in, params);
    }

    /**
     * Bodies kept apart (issue 20.2) of the events with {@code from <= created_at < to}: the events' ids are walked in
     * (created_at, event_id) order through their index, a batch at a time, and the bodies of each batch deleted by
     * primary key in its own short transaction (event_bodies has no index of its own on created_at: one B-tree fewer
     * for every event written). Returns the rows deleted.
     */
    private long deleteBodies(long from, long to) {
        long deleted = 0;
        long at = from == Long.MIN_VALUE ? from : from - 1; // (at, "") sorts before every row of the range
        String id = "";
        while (true) {
            List<Object[]> keys = db.query("SELECT created_at, event_id FROM events WHERE created_at >= ? AND created_at < ? "
                            + "AND (created_at, event_id) > (?, ?) ORDER BY created_at, event_id LIMIT ?",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)}, from, to, at, id, batch);
            if (keys.isEmpty()) return deleted;
            Object[] ids = keys.stream().map(k -> k[1]).toArray();
            deleted += db.update("DELETE FROM event_bodies WHERE event_id IN ("
                    + String.join(",", Collections.nCopies(ids.length, "?")) + ")", ids);
            if (keys.size() < batch) return deleted;
            at = (Long) keys.getLast()[0];
            id = (String) keys.getLast()[1];
        }
    }

    /** Parameters: the range (from, cutoff; twice on PostgreSQL, see {@link #rowsOf}), then the batch size. */
    private String stripBatch() {
        return "UPDATE events SET request = NULL, response = NULL WHERE "
                + rowsOf("created_at >= ? AND created_at < ? AND (request IS NOT NULL OR response IS NOT NULL)");
    }

    /**
     * The physical rows of at most one batch matching {@code where} (then the LIMIT parameter): rowid / ctid, no key
     * scan. A ctid is unique only within one partition, so PostgreSQL repeats {@code where} outside: a row of another
     * partition at the same ctid is touched only if it matches too (then it is due anyway; a batch may count a few more).
     */
    private String rowsOf(String where) {
        return db.dialect() == Database.Dialect.SQLITE
                ? "rowid IN (SELECT rowid FROM events WHERE " + where + " LIMIT ?)"
                : where + " AND ctid = ANY(ARRAY(SELECT ctid FROM events WHERE " + where + " LIMIT ?))";
    }

    @Override
    public void close() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }
}
