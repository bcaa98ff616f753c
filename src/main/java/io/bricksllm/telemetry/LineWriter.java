package io.bricksllm.telemetry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes text lines to an output stream from one background thread, many lines per write.
 * <p>{@link #write} is safe on an event loop: a lock-free append, no wake-up of the writer (it looks at the queue
 * every {@code interval} on its own), so a line costs the caller no system call and no context switch. The
 * queue is bounded: when the output cannot keep up, lines are dropped and counted, never waited for.
 */
public final class LineWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LineWriter.class);
    private static final int CHUNK = 64 * 1024;

    private final OutputStream out;
    private final int capacity;
    private final long intervalNanos;
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final byte[] chunk = new byte[CHUNK];
    private final Thread thread;
    private volatile boolean closed;
    private long droppedReported;

    public LineWriter(OutputStream out, int capacity, Duration interval, String threadName) {
        this.out = out;
        this.capacity = capacity;
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues one line (without its line end). False when the queue is full or the writer closed: the line is dropped. */
    public boolean write(String line) {
        if (closed || queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        lines.offer(line);
        return true;
    }

    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return written.get();
    }

    /** Writes what is queued and stops the thread (waiting at most 2 s). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!closed) {
            drain();
            LockSupport.parkNanos(this, intervalNanos);
        }
        drain();
    }

    private void drain() {
        int used = 0;
        try {
            for (String line; (line = lines.poll()) != null; ) {
                queued.decrementAndGet();
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                if (used + bytes.length + 1 > CHUNK) { // whole lines per write, so other writers of the stream never split one
                    out.write(chunk, 0, used);
                    used = 0;
                }
                if (bytes.length + 1 > CHUNK) {
                    out.write(bytes);
                    out.write('\n');
                } else {
                    System.arraycopy(bytes, 0, chunk, used, bytes.length);
                    used += bytes.length;
                    chunk[used++] = '\n';
                }
                written.incrementAndGet();
            }
            if (used > 0) out.write(chunk, 0, used);
            out.flush();
        } catch (IOException | RuntimeException e) {
            LOG.warn("request log output failed: {}", e.toString());
        }
        long d = dropped.get();
        if (d > droppedReported) {
            LOG.warn("request log: {} line(s) dropped so far, the output does not keep up", d);
            droppedReported = d;
        }
    }
}
