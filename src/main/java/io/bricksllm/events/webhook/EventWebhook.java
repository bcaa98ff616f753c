package io.bricksllm.events.webhook;

import io.bricksllm.alerts.WebhookSender;
import io.bricksllm.config.EventWebhookSettings;
import io.bricksllm.events.Event;
import io.bricksllm.events.EventQueue;
import io.bricksllm.events.EventSink;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports every event to a webhook as batched NDJSON, independently of the database pipeline.
 * <ul>
 *   <li>{@link #publish} only adds to a bounded lock-free queue; when it is full the queue and the event are written
 *       to the spool on the caller's thread (in order), never dropped.</li>
 *   <li>The {@code event-webhook-spooler} thread cuts batches (at {@code batchSize} events, or {@code maxDelay} after
 *       a batch's first event) and appends each to the durable {@link WebhookSpool} before anything is sent.</li>
 *   <li>The {@code event-webhook-sender} thread POSTs the spool's batches one at a time, in order, with the JDK HTTP
 *       client (no event loop involved). A 2xx moves the spool's cursor past the batch, durably; a connection error, a
 *       timeout, 408, 429 or 5xx is retried with capped exponential back-off ({@code Retry-After} honoured); any other
 *       answer dead-letters the batch (a file beside the spool) and the next one is sent.</li>
 *   <li>{@link #close} spools what is queued and stops the sender after its attempt in flight (bounded). A new instance
 *       on the same directory resumes after the last acknowledged batch; only a batch in flight during a crash can
 *       reach the receiver twice, with the same batch id.</li>
 * </ul>
 */
public final class EventWebhook implements EventSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventWebhook.class);
    public static final String BATCH_ID_HEADER = "X-BricksLLM-Batch-Id";
    /** Longest nap of an idle thread between two looks at its work; also bounds how late a wake-up is missed. */
    private static final long IDLE_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long GATHER_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** A Retry-After beyond this is not believed. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    /** Back-off between attempts at one batch: {@code first}, doubling, at most {@code max}. */
    public record Backoff(Duration first, Duration max) {
        public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** Counters for metrics: events by outcome (they only grow), batches delivered, and the present state. */
    public record Stats(int queueDepth, long delivered, long retried, long spooled, long dropped, long deadLettered,
                        long batches, long spoolBytes, Duration lastDeliveryLatency) {}

    private final URI url;
    private final Optional<SecretKeySpec> key;
    private final int batchSize;
    private final long maxDelayNanos;
    private final Duration timeout;
    private final Backoff backoff;
    private final EventQueue queue;
    private final WebhookSpool spool;
    private final HttpClient http;
    /** Draining the queue and appending to the spool happen together under it, so batches keep the queue's order. */
    private final Object appendLock = new Object();
    private final Thread spooler;
    private final Thread sender;

    private volatile boolean closed;
    private volatile boolean stopSending;
    /** True from a failed attempt until the next success: events spooled meanwhile count as {@code spooled}. */
    private volatile boolean receiverDown;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile long lastDeliveryNanos;

    public EventWebhook(EventWebhookSettings settings, int queueCapacity) {
        this(settings, queueCapacity, Backoff.DEFAULT, WebhookSpool.segmentBytesFor(settings.spoolMaxBytes()));
    }

    /** {@code segmentBytes}: the size at which the spool starts a new file (the unit the size limit drops). */
    public EventWebhook(EventWebhookSettings settings, int queueCapacity, Backoff backoff, long segmentBytes) {
        if (queueCapacity < 1) throw new IllegalArgumentException("event webhook queue capacity must be positive");
        this.url = settings.url();
        this.key = settings.secret().filter(s -> !s.isEmpty())
                .map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        this.batchSize = settings.batchSize();
        this.maxDelayNanos = settings.maxDelay().toNanos();
        this.timeout = settings.timeout();
        this.backoff = backoff;
        this.queue = new EventQueue(queueCapacity);
        try {
            this.spool = new WebhookSpool(settings.spoolDir(), settings.spoolMaxBytes(), segmentBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event webhook spool " + settings.spoolDir() + ": " + e.getMessage(), e);
        }
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.spooler = new Thread(this::spoolLoop, "event-webhook-spooler");
        this.sender = new Thread(this::sendLoop, "event-webhook-sender");
        spooler.setDaemon(true);
        sender.setDaemon(true);
        spooler.start();
        sender.start();
        LOG.info("events are exported to the webhook at {} (batches of at most {} events, at most {} late, spool {})",
                destination(), batchSize, settings.maxDelay(), settings.spoolDir());
    }

    /** Never waits on the network; writes to the spool (on this thread) only when the queue is full. */
    @Override
    public boolean publish(Event event) {
        Objects.requireNonNull(event, "event");
        if (!closed && queue.offer(event)) {
            // close() may have swept the queue between our check and our offer: then the event is ours to spool
            if (closed && queue.remove(event)) {
                overflow(event);
                return false;
            }
            return true;
        }
        overflow(event);
        return false;
    }

    public Stats stats() {
        return new Stats(queue.size(), delivered.get(), retried.get(), spooled.get(), lost.get() + spool.droppedEvents(),
                deadLettered.get(), batches.get(), spool.bytes(), Duration.ofNanos(lastDeliveryNanos));
    }

    /** Scheme, host and port only: the path or query may hold a token. */
    public String destination() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(3));
    }

    /**
     * Spools what is queued, lets the attempt in flight finish (so that its acknowledgement is kept) within
     * {@code timeout}, then stops. Undelivered batches stay in the spool for the next start.
     */
    public synchronized void close(Duration timeout) {
        if (closed) return;
        long deadline = System.nanoTime() + timeout.toNanos();
        closed = true;
        LockSupport.unpark(spooler);
        join(spooler, deadline);
        stopSending = true;
        LockSupport.unpark(sender);
        join(sender, deadline);
        if (sender.isAlive()) {
            // an attempt outlasting the timeout: abandoned; its batch is sent again by the next start
            sender.interrupt();
            join(sender, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500));
        }
        synchronized (appendLock) {
            appendAll(drainQueue()); // events published while closing
        }
        spool.close();
        http.shutdownNow();
        Stats s = stats();
        LOG.info("event webhook closed: {} event(s) delivered in {} batch(es), {} dead-lettered, {} dropped; {} bytes left in the spool",
                s.delivered(), s.batches(), s.deadLettered(), s.dropped(), s.spoolBytes());
    }

    private static void join(Thread t, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- spooling -------------------------------------------------------------------------------------------

    private void overflow(Event event) {
        synchronized (appendLock) {
            List<Event> all = drainQueue(); // the queued events first: batches keep the order events came in
            all.add(event);
            appendAll(all);
        }
    }

    private List<Event> drainQueue() {
        List<Event> all = new ArrayList<>();
        queue.drainTo(all, Integer.MAX_VALUE);
        return all;
    }

    /** Appends {@code events} as batches of at most {@code batchSize}; lock held. */
    private void appendAll(List<Event> events) {
        for (int from = 0; from < events.size(); from += batchSize) {
            append(events.subList(from, Math.min(events.size(), from + batchSize)));
        }
    }

    private void append(List<Event> batch) {
        if (batch.isEmpty()) return;
        try {
            spool.append(NdjsonBatch.encode(batch), batch.size());
            if (receiverDown) spooled.addAndGet(batch.size());
        } catch (IOException | RuntimeException e) {
            lost.addAndGet(batch.size());
            LOG.error("{} event(s) not exported: the event webhook spool cannot be written: {}", batch.size(), e.toString());
            return;
        }
        LockSupport.unpark(sender);
    }

    private void spoolLoop() {
        try {
            while (true) {
                boolean closing = closed;
                if (!closing) gather();
                synchronized (appendLock) {
                    List<Event> batch = new ArrayList<>(Math.min(batchSize, 1024));
                    queue.drainTo(batch, batchSize);
                    append(batch);
                }
                if (closing && queue.isEmpty()) break;
            }
        } catch (RuntimeException | Error e) {
            LOG.error("event webhook spooler failed; queued events are spooled at close", e);
        }
    }

    /** Returns once a batch is full, {@code maxDelay} after its first event was seen, or when closing. */
    private void gather() {
        while (queue.isEmpty()) {
            if (closed) return;
            LockSupport.parkNanos(this, IDLE_NAP_NANOS);
        }
        long deadline = System.nanoTime() + maxDelayNanos;
        while (queue.size() < batchSize && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            LockSupport.parkNanos(this, Math.min(left, GATHER_NAP_NANOS));
        }
    }

    // ---- delivery -------------------------------------------------------------------------------------------

    private sealed interface Outcome {
        record Delivered() implements Outcome {}
        /** {@code retryAfter}: what the receiver asked for, or null. */
        record Retry(String why, Duration retryAfter) implements Outcome {}
        record Refused(int status) implements Outcome {}
    }

    private void sendLoop() {
        long wait = backoff.first().toNanos();
        while (!stopSending) {
            WebhookSpool.Batch batch;
            try {
                batch = spool.peek();
            } catch (IOException e) {
                LOG.error("cannot read the event webhook spool: {}", e.toString());
                napUntil(System.nanoTime() + backoff.max().toNanos());
                continue;
            }
            if (batch == null) {
                LockSupport.parkNanos(this, IDLE_NAP_NANOS);
                continue;
            }
            long t0 = System.nanoTime();
            Outcome outcome = post(batch);
            if (outcome == null) return; // interrupted by close
            try {
                switch (outcome) {
                    case Outcome.Delivered d -> {
                        spool.ack(batch);
                        lastDeliveryNanos = System.nanoTime() - t0;
                        delivered.addAndGet(batch.events());
                        batches.incrementAndGet();
                        if (receiverDown) LOG.info("event webhook {} answers again; delivering the spool", destination());
                        receiverDown = false;
                        wait = backoff.first().toNanos();
                    }
                    case Outcome.Refused r -> {
                        java.nio.file.Path file = spool.deadLetter(batch);
                        spool.ack(batch);
                        deadLettered.addAndGet(batch.events());
                        LOG.error("event webhook {} refused batch {} ({} events) with {}; it is kept in {} and not sent again",
                                destination(), batch.id(), batch.events(), r.status(), file);
                    }
                    case Outcome.Retry r -> {
                        retried.addAndGet(batch.events());
                        if (!receiverDown) {
                            LOG.warn("event webhook {} did not take batch {}: {}; retrying with back-off, events wait in the spool",
                                    destination(), batch.id(), r.why());
                        }
                        receiverDown = true;
                        long pause = wait;
                        if (r.retryAfter() != null) pause = Math.max(pause, r.retryAfter().toNanos());
                        wait = Math.min(wait * 2, backoff.max().toNanos());
                        napUntil(System.nanoTime() + pause);
                    }
                }
            } catch (IOException e) {
                // the receiver has the batch but the cursor did not move: it is sent again (same id) after a pause
                LOG.error("cannot record the event webhook's progress in its spool: {}", e.toString());
                napUntil(System.nanoTime() + backoff.max().toNanos());
            }
        }
    }

    /** One attempt; null when interrupted (closing). */
    private Outcome post(WebhookSpool.Batch batch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", NdjsonBatch.CONTENT_TYPE)
                .header("User-Agent", "BricksLLM-events")
                .header(BATCH_ID_HEADER, batch.id())
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()));
        key.ifPresent(k -> request.header(WebhookSender.SIGNATURE_HEADER,
                "sha256=" + WebhookSender.hmac(k, Buffer.buffer(batch.body()))));
        HttpResponse<Void> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            return null;
        } catch (HttpTimeoutException e) {
            return new Outcome.Retry("no answer within " + timeout.toMillis() + " ms", null);
        } catch (IOException | RuntimeException e) {
            // the exception names no URL path or query, but be sure: only its type and a message without them
            return new Outcome.Retry(describe(e), null);
        }
        int status = response.statusCode();
        if (status / 100 == 2) return new Outcome.Delivered();
        if (status == 408 || status == 429 || status >= 500) {
            return new Outcome.Retry("answered " + status, retryAfter(response.headers().firstValue("Retry-After")));
        }
        return new Outcome.Refused(status);
    }

    private String describe(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (url.getRawQuery() != null) m = m.replace(url.getRawQuery(), "…");
        if (url.getRawPath() != null && url.getRawPath().length() > 1) m = m.replace(url.getRawPath(), "/…");
        return m;
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable; at most {@link #MAX_RETRY_AFTER}. */
    static Duration retryAfter(Optional<String> header) {
        if (header.isEmpty()) return null;
        String v = header.get().trim();
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException ex) {
                return null;
            }
        }
        if (d.isNegative()) return Duration.ZERO;
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    /** Naps until {@code deadline}, or until close asks the sender to stop. */
    private void napUntil(long deadline) {
        while (!stopSending) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) return;
        }
    }
}
