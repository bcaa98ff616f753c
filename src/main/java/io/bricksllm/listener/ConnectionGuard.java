package io.bricksllm.listener;

import io.bricksllm.config.ListenerLimits;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes the connections of one listener that hold a slot without using it, and caps how many are open.
 * <ul>
 *   <li>A connection that has not sent a whole request head {@link ListenerLimits#headerRead()} after it opened is
 *   closed, however slowly bytes trickle in (Vert.x's idle timeouts see trickling bytes as activity).</li>
 *   <li>A kept-alive connection whose last response ended {@link ListenerLimits#idle()} ago is closed.</li>
 *   <li>A connection with a request in flight is never closed here, however long its response is quiet (a
 *   streamed generation may pause for minutes); the request's own timeout bounds it.</li>
 *   <li>Past {@link ListenerLimits#maxConnections()} open connections, a new one is accepted and closed at once.</li>
 * </ul>
 * Requests only record which response is current (one map look-up): a periodic sweep does the rest, so a deadline
 * is kept to within a fifth of the shorter timeout. Shared by every event loop of the listener.
 */
public final class ConnectionGuard {
    private final ListenerLimits limits;
    private final ConcurrentHashMap<HttpConnection, Tracked> open = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private long timer = -1;

    private static final class Tracked {
        final long openedNanos;
        /** The response of the connection's latest request; null until a request head has arrived. */
        volatile HttpServerResponse current;
        /** When the sweep first saw the connection without a request in flight; 0 while one is. */
        volatile long idleSinceNanos;

        Tracked(long openedNanos) {
            this.openedNanos = openedNanos;
        }
    }

    public ConnectionGuard(ListenerLimits limits) {
        this.limits = limits;
    }

    /** Starts the periodic sweep (once per listener, however many servers share it). */
    public synchronized void start(Vertx vertx) {
        if (timer >= 0) return;
        long shorter = Math.min(limits.headerRead().toMillis(), limits.idle().toMillis());
        timer = vertx.setPeriodic(Math.max(20, Math.min(1000, shorter / 5)), id -> sweep(System.nanoTime()));
    }

    public synchronized void stop(Vertx vertx) {
        if (timer >= 0) vertx.cancelTimer(timer);
        timer = -1;
    }

    /** Sets {@code server}'s connection and request handlers; {@code requests} gets every request. */
    public HttpServer attach(HttpServer server, Handler<HttpServerRequest> requests) {
        server.connectionHandler(this::opened);
        return server.requestHandler(req -> {
            Tracked t = open.get(req.connection());
            if (t != null) {
                t.current = req.response();
                t.idleSinceNanos = 0;
            }
            requests.handle(req);
        });
    }

    private void opened(HttpConnection c) {
        if (count.incrementAndGet() > limits.maxConnections()) {
            count.decrementAndGet();
            refused.incrementAndGet();
            c.close();
            return;
        }
        open.put(c, new Tracked(System.nanoTime()));
        c.closeHandler(v -> {
            if (open.remove(c) != null) count.decrementAndGet();
        });
    }

    void sweep(long now) {
        long headerRead = limits.headerRead().toNanos();
        long idle = limits.idle().toNanos();
        open.forEach((c, t) -> {
            HttpServerResponse r = t.current;
            if (r == null) {
                if (now - t.openedNanos > headerRead) close(c);
            } else if (r.ended() || r.closed()) {
                long since = t.idleSinceNanos;
                if (since == 0) t.idleSinceNanos = now;
                else if (now - since > idle) close(c);
            } else {
                t.idleSinceNanos = 0;
            }
        });
    }

    private void close(HttpConnection c) {
        if (open.remove(c) != null) {
            count.decrementAndGet();
            timedOut.incrementAndGet();
            c.close();
        }
    }

    /** Connections open now. */
    public int open() {
        return count.get();
    }

    /** Connections closed at once because the listener had {@link ListenerLimits#maxConnections()} open. */
    public long refused() {
        return refused.get();
    }

    /** Connections closed for not sending a request head in time, or for staying idle too long. */
    public long timedOut() {
        return timedOut.get();
    }
}
