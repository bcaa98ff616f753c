package io.bricksllm.events;

import io.bricksllm.store.Database;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the events table to {@code EVENT_RETENTION} and request/response bodies to {@code EVENT_BODY_RETENTION}
 * (issue 20.3), in the background: every run deletes (or strips the bodies of) at most {@code batch} rows per short
 * transaction, so the event writer and the admin API's reads wait for one small batch at a time, never a bulk
 * delete. SQLite reuses the freed pages for new events (the file does not grow while old events go); PostgreSQL's
 * autovacuum reclaims the rows. Spend outlives the events it sums: budgets are re-seeded and reported from the hourly
 * rollups, not from the events kept.
 *
 * <p>Bodies are stripped oldest first from a watermark kept in memory (rows below it were already stripped), so a run
 * walks only the rows that crossed the body retention since the last run; after a restart the first run walks the
 * whole body-retention gap once.
 */
public final class EventRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);

    /** What one run removed. */
    public record Run(long eventsDeleted, long bodiesStripped) {}

    private final Vertx vertx;
    private final Database db;
    private final Clock clock;
    private final Duration events;
    private final Duration bodies;
    private final int batch;
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
    }

    /** Runs now and then every {@code interval}, on a worker thread; a run still going when the next is due is not doubled. */
    public void start(Duration interval) {
        runInBackground();
        timer = vertx.setPeriodic(interval.toMillis(), id -> runInBackground());
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
        long deleted = 0;
        int n;
        if (!events.isZero()) {
            do {
                n = db.update(deleteBatch(), eventCutoff, batch);
                deleted += n;
            } while (n == batch);
        }
        long stripped = 0;
        if (!bodies.isZero()) {
            long bodyCutoff = now - bodies.toSeconds();
            long from = Math.max(bodyWatermark, eventCutoff);
            do {
                n = db.update(stripBatch(), from, bodyCutoff, batch);
                stripped += n;
            } while (n == batch);
            bodyWatermark = bodyCutoff;
        }
        return new Run(deleted, stripped);
    }

    private String deleteBatch() {
        return "DELETE FROM events WHERE " + rowsOf("created_at < ?");
    }

    private String stripBatch() {
        return "UPDATE events SET request = NULL, response = NULL WHERE "
                + rowsOf("created_at >= ? AND created_at < ? AND (request IS NOT NULL OR response IS NOT NULL)");
    }

    /** The physical rows of at most one batch matching {@code where} (then the LIMIT parameter): rowid / ctid, no key scan. */
    private String rowsOf(String where) {
        return db.dialect() == Database.Dialect.SQLITE
                ? "rowid IN (SELECT rowid FROM events WHERE " + where + " LIMIT ?)"
                : "ctid = ANY(ARRAY(SELECT ctid FROM events WHERE " + where + " LIMIT ?))";
    }

    @Override
    public void close() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }
}
