package io.bricksllm.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP upstream for tests, programmable per path: status, headers, body, SSE events with gaps,
 * delays and faults (close the connection, die mid-stream). It records every request it receives, so
 * tests can prove that refused requests never reach it and that secrets never leak to it.
 */
public final class MockUpstream implements AutoCloseable {

    /** One request as the upstream received it. */
    public record Received(String method, String path, String query, MultiMap headers, byte[] body) {
        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name);
        }
    }

    /** What to answer. Build with the static factories and the with* methods. */
    public record Reply(int status, Map<String, String> headers, Buffer body, List<String> sseEvents, Duration gap,
                        Duration delay, boolean closeBeforeAnswer, int dieAfterEvents) {
        public static Reply json(int status, String json) {
            return new Reply(status, Map.of("Content-Type", "application/json"), Buffer.buffer(json), null, Duration.ZERO,
                    Duration.ZERO, false, -1);
        }

        public static Reply bytes(int status, String contentType, byte[] body) {
            return new Reply(status, Map.of("Content-Type", contentType), Buffer.buffer(body), null, Duration.ZERO,
                    Duration.ZERO, false, -1);
        }

        /** Each element is one whole SSE event text, e.g. {@code "data: {...}"} (the blank line is added). */
        public static Reply sse(List<String> events) {
            return new Reply(200, Map.of("Content-Type", "text/event-stream"), null, List.copyOf(events), Duration.ZERO,
                    Duration.ZERO, false, -1);
        }

        public static Reply closeConnection() {
            return new Reply(0, Map.of(), null, null, Duration.ZERO, Duration.ZERO, true, -1);
        }

        public Reply withGap(Duration g) {
            return new Reply(status, headers, body, sseEvents, g, delay, closeBeforeAnswer, dieAfterEvents);
        }

        public Reply withDelay(Duration d) {
            return new Reply(status, headers, body, sseEvents, gap, d, closeBeforeAnswer, dieAfterEvents);
        }

        /** Sends that many SSE events, then drops the connection. */
        public Reply dyingAfter(int events) {
            return new Reply(status, headers, body, sseEvents, gap, delay, closeBeforeAnswer, events);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Received, Reply>> routes = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    // requests received and not yet answered in full nor dropped: limit tests prove a cap on requests in flight
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    public MockUpstream() {
        try {
            server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("mock upstream did not start", e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** Base URL to put in a provider setting's {@code url}, e.g. {@code http://127.0.0.1:1234/v1}. */
    public String url(String basePath) {
        return "http://127.0.0.1:" + port() + basePath;
    }

    public MockUpstream on(String method, String path, Function<Received, Reply> responder) {
        routes.put(method + " " + path, responder);
        return this;
    }

    public MockUpstream on(String method, String path, Reply reply) {
        return on(method, path, r -> reply);
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public Received last() {
        if (received.isEmpty()) throw new AssertionError("the upstream received no request");
        return received.get(received.size() - 1);
    }

    public int calls() {
        return calls.get();
    }

    /** Requests received whose answer is not yet ended (nor their connection closed). */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests that were in flight at once since start or the last {@link #reset()}. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    public void reset() {
        received.clear();
        calls.set(0);
        maxInFlight.set(inFlight.get());
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            Received r = new Received(req.method().name(), req.path(), req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                    body.getBytes());
            received.add(r);
            calls.incrementAndGet();
            countInFlight(req);
            Function<Received, Reply> responder = routes.get(req.method().name() + " " + req.path());
            Reply reply = responder == null
                    ? Reply.json(404, "{\"error\":{\"message\":\"mock: no route " + req.method() + " " + req.path() + "\"}}")
                    : responder.apply(r);
            if (reply.delay().isZero()) {
                answer(req, reply);
            } else {
                vertx.setTimer(reply.delay().toMillis(), id -> answer(req, reply));
            }
        });
    }

    /** Counts the request in flight until its answer ends or its connection closes, whichever comes first. */
    private void countInFlight(HttpServerRequest req) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable finish = () -> {
            if (done.compareAndSet(false, true)) inFlight.decrementAndGet();
        };
        // endHandler runs just before the last bytes leave: the caller cannot have seen the end before the count drops
        req.response().endHandler(v -> finish.run());
        req.response().closeHandler(v -> finish.run());
    }

    private void answer(HttpServerRequest req, Reply reply) {
        HttpServerResponse res = req.response();
        if (reply.closeBeforeAnswer()) {
            req.connection().close();
            return;
        }
        res.setStatusCode(reply.status());
        reply.headers().forEach(res::putHeader);
        if (reply.sseEvents() == null) {
            res.end(reply.body());
            return;
        }
        res.setChunked(true);
        sendEvents(req, res, reply, 0);
    }

    private void sendEvents(HttpServerRequest req, HttpServerResponse res, Reply reply, int i) {
        if (res.closed()) return;
        if (reply.dieAfterEvents() >= 0 && i == reply.dieAfterEvents()) {
            req.connection().close();
            return;
        }
        if (i == reply.sseEvents().size()) {
            res.end();
            return;
        }
        res.write(reply.sseEvents().get(i) + "\n\n");
        if (reply.gap().isZero()) {
            // the rest at once, in a loop: recursing per event overflowed the stack for long streams
            for (int j = i + 1; j < reply.sseEvents().size(); j++) {
                if (res.closed()) return;
                if (reply.dieAfterEvents() >= 0 && j == reply.dieAfterEvents()) {
                    req.connection().close();
                    return;
                }
                res.write(reply.sseEvents().get(j) + "\n\n");
            }
            sendEvents(req, res, reply, reply.sseEvents().size());
        } else {
            vertx.setTimer(reply.gap().toMillis(), id -> sendEvents(req, res, reply, i + 1));
        }
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
