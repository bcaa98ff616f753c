package io.bricksllm.events;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event pipeline: a bounded queue drained by one writer thread that inserts batches (flushed by size
 * or by time) into the {@link EventRepository}.
 * <ul>
 *   <li>With {@code writers} above 1, a large batch is inserted in parts on that many connections at once (helper
 *       threads take the other parts; the writer waits for all of them). PostgreSQL runs them in parallel; the
 *       health, spool and replay logic stays the writer's alone, and a batch counts as stored only when every
 *       part is.</li>
 *   <li>{@link #publish} never waits: when the queue is full the event is appended to the spool instead.</li>
 *   <li>When an insert fails because the database is unavailable, the batch goes to the spool and every
 *       following batch too, until a replay of the spool (tried with a back-off of at most 5 s) succeeds.
 *       Replays tolerate rows already written (event ids are primary keys; inserts skip known ids).</li>
 *   <li>When the database refuses rows as data (not an outage), the batch is retried row by row and the
 *       refused rows are kept in a {@code rejected-*.jsonl} file, so one bad event cannot block the rest.</li>
 *   <li>A spool left by a previous run is replayed at start; {@link #close} writes what is queued within a
 *       timeout and spools the rest.</li>
 * </ul>
 */
public final class BatchingEventSink implements EventSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingEventSink.class);
    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Longest nap between two looks at the queue while a batch fills; also bounds how late close() is seen. */
    private static final long GATHER_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Longest nap of an idle writer between two looks at the queue. */
    private static final long IDLE_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Smallest part worth a connection of its own: a small batch is cheaper in one statement. */
    static final int MIN_PART = 100;

    /** Counters for metrics. */
    public record Stats(int queueDepth, long written, long batches, Duration lastBatchLatency, long spooled,
                        long replayed, long rejected, long lost) {}

    private final EventRepository repository;
    private final EventQueue queue;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final EventSpool spool;
    private final Thread writer;
    private final int writers;
    /** Threads inserting the other parts of a batch; null with one writer. */
    private final ExecutorService helpers;

    private volatile boolean closed;
    private volatile long closeDeadline;

    // written by the writer thread only
    private boolean healthy = true;
    private long nextReplayAt;
    private long backoffNanos = MIN_BACKOFF_NANOS;

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private volatile long lastBatchNanos;
    /** The batch the writer is storing, so that close() can spool it if the writer is stuck in the database. */
    private volatile List<Event> inFlight;

    public BatchingEventSink(EventRepository repository, int capacity, int batchSize, Duration flushInterval,
                             Path spoolDir, Clock clock) {
        this(repository, capacity, batchSize, flushInterval, spoolDir, clock, 1);
    }

    /** {@code writers}: connections one batch may be inserted on at once (see the class comment). */
    public BatchingEventSink(EventRepository repository, int capacity, int batchSize, Duration flushInterval,
                             Path spoolDir, Clock clock, int writers) {
        if (writers < 1) throw new IllegalArgumentException("event writers must be positive");
        if (capacity < 1) throw new IllegalArgumentException("event queue capacity must be positive");
        if (batchSize < 1) throw new IllegalArgumentException("event batch size must be positive");
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("event flush interval must be positive");
        }
        this.repository = repository;
        this.queue = new EventQueue(capacity);
        this.batchSize = batchSize;
        this.flushIntervalNanos = flushInterval.toNanos();
        this.spool = new EventSpool(spoolDir, clock);
        this.nextReplayAt = System.nanoTime();
        this.writers = writers;
        this.helpers = writers == 1 ? null : Executors.newFixedThreadPool(writers - 1, helperThreads());
        this.writer = new Thread(this::run, "event-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues the event. Never blocks on the database; only when the queue is full (or the sink is closed)
     * is the event appended to the spool file on the calling thread, and false returned.
     */
    @Override
    public boolean publish(Event event) {
        Objects.requireNonNull(event, "event");
        if (!closed && queue.offer(event)) {
            // close() may have swept the queue between our check and our offer: then the event is ours to spool
            if (closed && queue.remove(event)) {
                divert(event);
                return false;
            }
            return true;
        }
        divert(event);
        return false;
    }

    public int queueDepth() {
        return queue.size();
    }

    public long written() {
        return written.get();
    }

    public long batches() {
        return batches.get();
    }

    public Duration lastBatchLatency() {
        return Duration.ofNanos(lastBatchNanos);
    }

    public long spooled() {
        return spooled.get();
    }

    public Stats stats() {
        return new Stats(queue.size(), written.get(), batches.get(), lastBatchLatency(), spooled.get(), replayed.get(),
                rejected.get(), lost.get());
    }

    /** Writes what is queued, waiting at most 5 s; what is left is spooled for the next start. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    public synchronized void close(Duration timeout) {
        if (closed) return;
        closeDeadline = System.nanoTime() + timeout.toNanos();
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(timeout.plusSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn("event writer did not finish within {}; queued events go to the spool", timeout);
            List<Event> stuck = inFlight;
            if (stuck != null) toSpool(stuck); // if the writer still stores it, the replay skips the known ids
        }
        spoolQueued(); // also takes events published while closing
        spool.close();
        Stats s = stats();
        LOG.info("event sink closed: {} written in {} batches, {} spooled, {} rejected, {} lost", s.written(),
                s.batches(), s.spooled(), s.rejected(), s.lost());
    }

    // ---- writer thread --------------------------------------------------------------------------------------

    private void run() {
        try {
            replayIfDue(); // a spool left by a previous run
            while (true) {
                boolean closing = closed;
                List<Event> batch = nextBatch(closing);
                if (!batch.isEmpty()) store(batch);
                if (closing && (queue.isEmpty() || System.nanoTime() - closeDeadline > 0)) break;
                if (!closed) replayIfDue(); // never after close: the next run (maybe already started) replays
            }
        } catch (InterruptedException e) {
            LOG.warn("event writer interrupted; queued events go to the spool");
        } catch (RuntimeException | Error e) {
            LOG.error("event writer failed; queued events go to the spool", e);
        } finally {
            spoolQueued();
            if (helpers != null) helpers.shutdown(); // a part still in the database finishes; nothing waits for it
        }
    }

    private static ThreadFactory helperThreads() {
        AtomicInteger n = new AtomicInteger(1);
        return task -> {
            Thread t = new Thread(task, "event-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Waits up to the flush interval for a first event, then gathers more until the batch is full or the
     * flush interval since that first event has passed. The writer naps and looks, it is never woken by
     * {@link #publish}: a waiting consumer makes every publish a futex call and a context switch on the event
     * loop, a napping one costs the publishers nothing. ({@link #close} wakes it.)
     */
    private List<Event> nextBatch(boolean closing) throws InterruptedException {
        List<Event> batch = new ArrayList<>();
        long idleUntil = System.nanoTime() + flushIntervalNanos;
        while (queue.isEmpty()) {
            long left = idleUntil - System.nanoTime();
            if (closing || closed || left <= 0) return batch;
            nap(Math.min(left, IDLE_NAP_NANOS));
        }
        long deadline = System.nanoTime() + flushIntervalNanos;
        while (true) {
            queue.drainTo(batch, batchSize - batch.size());
            if (batch.size() >= batchSize || closed) break;
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            nap(Math.min(left, GATHER_NAP_NANOS));
        }
        return batch;
    }

    private void nap(long nanos) throws InterruptedException {
        LockSupport.parkNanos(this, nanos);
        if (Thread.interrupted()) throw new InterruptedException();
    }

    private void store(List<Event> batch) {
        inFlight = batch;
        try {
            if (healthy && write(batch)) return;
            if (healthy) markDown();
            toSpool(batch);
        } finally {
            inFlight = null;
        }
    }

    /** True when every event is stored (or rejected as bad data); false when the database is unavailable. */
    private boolean write(List<Event> events) {
        long t0 = System.nanoTime();
        try {
            insert(events);
        } catch (RuntimeException e) {
            if (!isDataError(e)) {
                if (healthy) LOG.warn("event database unavailable, spooling events until it answers: {}", e.toString());
                return false;
            }
            return writeOneByOne(events);
        }
        lastBatchNanos = System.nanoTime() - t0;
        written.addAndGet(events.size());
        batches.incrementAndGet();
        return true;
    }

    /**
     * Inserts the batch, in parts on up to {@link #writers} connections at once. Throws the first failure of any part
     * once all are done; parts that succeeded stay stored, which the spool replay and the row-by-row retry tolerate
     * (known ids are skipped).
     */
    private void insert(List<Event> events) {
        int parts = helpers == null ? 1 : Math.min(writers, events.size() / MIN_PART);
        if (parts <= 1) {
            repository.insert(events);
            return;
        }
        int size = (events.size() + parts - 1) / parts;
        List<Future<?>> others = new ArrayList<>(parts - 1);
        for (int from = size; from < events.size(); from += size) {
            List<Event> part = events.subList(from, Math.min(events.size(), from + size));
            others.add(helpers.submit(() -> repository.insert(part)));
        }
        RuntimeException failure = null;
        try {
            repository.insert(events.subList(0, size));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the writer's next nap ends it; this batch goes to the spool
                if (failure == null) failure = new IllegalStateException("event writer interrupted", e);
            }
        }
        if (failure != null) throw failure;
    }

    private boolean writeOneByOne(List<Event> events) {
        List<Event> refused = new ArrayList<>();
        for (Event e : events) {
            try {
                repository.insert(List.of(e));
                written.incrementAndGet();
            } catch (RuntimeException ex) {
                if (!isDataError(ex)) return false;
                refused.add(e);
            }
        }
        batches.incrementAndGet();
        if (!refused.isEmpty()) {
            try {
                Path file = spool.reject(refused);
                rejected.addAndGet(refused.size());
                LOG.error("the database refused {} event(s) as invalid data; kept in {}", refused.size(), file);
            } catch (IOException io) {
                lost.addAndGet(refused.size());
                LOG.error("{} event(s) refused by the database could not be kept: {}", refused.size(), io.toString());
            }
        }
        return true;
    }

    private void replayIfDue() {
        if (!spool.pending() || System.nanoTime() - nextReplayAt < 0) return;
        List<Path> files = spool.seal();
        if (files.isEmpty()) return;
        Path file = files.get(0); // oldest first; one file per turn so the live queue keeps moving
        AtomicLong count = new AtomicLong();
        try {
            boolean[] ok = {true};
            spool.read(file, batchSize, chunk -> {
                if (!ok[0]) return;
                if (write(chunk)) count.addAndGet(chunk.size());
                else ok[0] = false;
            });
            if (!ok[0]) {
                markDown();
                return;
            }
            spool.delete(file);
        } catch (IOException e) {
            // a problem of the file, not of the database: take it out of the way so it cannot block the rest
            LOG.error("cannot read event spool file {}; it is set aside: {}", file, e.toString());
            spool.setAside(file);
            return;
        }
        replayed.addAndGet(count.get());
        if (!healthy) LOG.info("event database answers again; replaying the spool");
        healthy = true;
        backoffNanos = MIN_BACKOFF_NANOS;
        nextReplayAt = System.nanoTime();
        LOG.info("replayed {} spooled event(s) from {}", count.get(), file.getFileName());
    }

    private void markDown() {
        healthy = false;
        nextReplayAt = System.nanoTime() + backoffNanos;
        backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
    }

    private void toSpool(List<Event> events) {
        try {
            spool.append(events);
            spooled.addAndGet(events.size());
        } catch (IOException e) {
            lost.addAndGet(events.size());
            LOG.error("{} event(s) lost: the spool cannot be written: {}", events.size(), e.toString());
        }
    }

    private void divert(Event event) {
        toSpool(List.of(event));
    }

    private void spoolQueued() {
        List<Event> rest = new ArrayList<>();
        queue.drainTo(rest, Integer.MAX_VALUE);
        if (!rest.isEmpty()) toSpool(rest);
    }

    /**
     * True when the database refused the rows themselves (SQLSTATE classes 22 data exception and 23
     * integrity violation; SQLite TOOBIG, CONSTRAINT, MISMATCH), as opposed to being unreachable or broken.
     */
    static boolean isDataError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e) {
                String state = e.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) return true;
                int code = e.getErrorCode() & 0xff;
                if (state == null && (code == 18 || code == 19 || code == 20)) return true;
            }
            if (c.getCause() == c) break;
        }
        return false;
    }
}
