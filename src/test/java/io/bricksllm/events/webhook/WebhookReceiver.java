package io.bricksllm.events.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP receiver of event webhooks for tests: records every request it answered 2xx (and every request at all),
 * checks each signature with the secret it was given, and can be told to answer the next requests with an error, or be
 * stopped and started again on the same port.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Request(String batchId, String contentType, String signature, boolean signatureValid, byte[] body,
                   List<JsonNode> events, int answered, long atNanos) {
        List<String> ids() {
            return events.stream().map(e -> e.get("id").asText()).toList();
        }
    }

    /** An answer to give instead of 200: the status (0: no answer at all) and an optional Retry-After. */
    record Failure(int status, String retryAfter) {}

    private final Vertx vertx = Vertx.vertx();
    private final String secret;
    private final List<Request> accepted = new ArrayList<>();
    private final List<Request> all = new ArrayList<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    // written by the test thread only; never under the monitor the handler takes (the event loop would wait on it)
    private volatile HttpServer server;
    private volatile int port;

    WebhookReceiver(String secret) {
        this.secret = secret;
        start();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hooks/events?token=t0k";
    }

    int port() {
        return port;
    }

    /** Listens (again) on the same port as before; a fresh port the first time. */
    void start() {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
            byte[] body = buf.getBytes();
            String sig = req.getHeader("X-BricksLLM-Signature");
            Failure fail;
            synchronized (this) {
                fail = failures.poll();
            }
            int status = fail == null ? 200 : fail.status();
            Request r = new Request(req.getHeader("X-BricksLLM-Batch-Id"), req.getHeader("Content-Type"), sig,
                    secret != null && sig != null && sig.equals("sha256=" + hmac(secret, body)), body, parse(body), status,
                    System.nanoTime());
            synchronized (this) {
                all.add(r);
                if (status / 100 == 2) accepted.add(r);
            }
            if (status == 0) return; // hangs: the sender's attempt times out or is abandoned
            var resp = req.response().setStatusCode(status);
            if (fail != null && fail.retryAfter() != null) resp.putHeader("Retry-After", fail.retryAfter());
            resp.end();
        })).listen(port, "127.0.0.1").await();
        port = server.actualPort();
    }

    /** Stops listening: further attempts are refused connections. */
    void stop() {
        server.close().await();
    }

    /** The next {@code times} requests get {@code status} (with Retry-After when given). */
    synchronized void failNext(int times, int status, String retryAfter) {
        for (int i = 0; i < times; i++) failures.add(new Failure(status, retryAfter));
    }

    synchronized List<Request> accepted() {
        return List.copyOf(accepted);
    }

    synchronized List<Request> requests() {
        return List.copyOf(all);
    }

    /** Ids of every event in accepted batches, in the order received. */
    synchronized List<String> acceptedIds() {
        List<String> ids = new ArrayList<>();
        for (Request r : accepted) ids.addAll(r.ids());
        return ids;
    }

    synchronized int acceptedEvents() {
        int n = 0;
        for (Request r : accepted) n += r.events().size();
        return n;
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> parse(byte[] body) {
        List<JsonNode> out = new ArrayList<>();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            try {
                out.add(JSON.readTree(line));
            } catch (Exception e) {
                throw new AssertionError("not NDJSON: " + line, e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            vertx.close().await(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // test teardown
        }
    }
}
