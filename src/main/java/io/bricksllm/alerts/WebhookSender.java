package io.bricksllm.alerts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs alert bodies to the webhook, {@code Content-Type: application/json}, signed when a secret is set
 * ({@code X-BricksLLM-Signature: sha256=<hex HMAC-SHA256 of the exact bytes sent>}). A connection error, a timeout,
 * a 5xx or a 429 is retried with exponential back-off ({@link Backoff}); any other answer ends the delivery (2xx: sent,
 * else failed). Never blocks: retries wait on Vert.x timers. The secret is never logged nor put in an error.
 */
public final class WebhookSender implements AutoCloseable {
    public static final String SIGNATURE_HEADER = "X-BricksLLM-Signature";

    /** {@code attempts} in all; the n-th retry waits {@code first} × 2^(n-1), at most {@code max}. */
    public record Backoff(int attempts, Duration first, Duration max, Duration attemptTimeout) {
        /** 6 attempts over ~31 s of waiting (1, 2, 4, 8, 16 s), each attempt at most 10 s: about a minute in all. */
        public static final Backoff DEFAULT = new Backoff(6, Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(10));

        long delayMillis(int retry) {
            long d = first.toMillis() << Math.min(20, retry - 1);
            return Math.max(1, Math.min(d, max.toMillis()));
        }
    }

    /** How a delivery ended: {@code status} is the last answer's (0 when none came), {@code error} why it failed. */
    public record Delivery(boolean sent, int attempts, int status, String error) {}

    private final Vertx vertx;
    private final HttpClient client;
    private final URI url;
    private final Optional<SecretKeySpec> key;
    private final Backoff backoff;
    private volatile boolean closed;

    public WebhookSender(Vertx vertx, URI url, Optional<String> secret, Backoff backoff) {
        this.vertx = vertx;
        this.url = url;
        this.backoff = backoff;
        this.key = secret.filter(s -> !s.isEmpty()).map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setConnectTimeout((int) backoff.attemptTimeout().toMillis()).setKeepAliveTimeout(30));
    }

    /** Where alerts go, for log lines: scheme, host and port only (the path or query may hold a token). */
    public String destination() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    /** Delivers {@code body} (retrying); never fails: the outcome is in the {@link Delivery}. */
    public Future<Delivery> send(Buffer body) {
        Promise<Delivery> done = Promise.promise();
        String signature;
        try {
            signature = key.map(k -> "sha256=" + hmac(k, body)).orElse(null);
        } catch (RuntimeException e) {
            return Future.succeededFuture(new Delivery(false, 0, 0, "cannot sign: " + e.getClass().getSimpleName()));
        }
        attempt(body, signature, 1, done);
        return done.future();
    }

    private void attempt(Buffer body, String signature, int n, Promise<Delivery> done) {
        if (closed) {
            done.complete(new Delivery(false, n - 1, 0, "gateway closing"));
            return;
        }
        long timeout = backoff.attemptTimeout().toMillis();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .putHeader("Content-Type", "application/json").putHeader("User-Agent", "BricksLLM-alerts")
                .setConnectTimeout(timeout).setIdleTimeout(timeout);
        if (signature != null) options.putHeader(SIGNATURE_HEADER, signature);
        Future<Integer> answered;
        try {
            answered = client.request(options)
                    .compose(req -> req.send(body))
                    .compose(resp -> resp.body().map(b -> resp.statusCode()))
                    .timeout(timeout, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) { // a client closed meanwhile
            answered = Future.failedFuture(e);
        }
        answered.onComplete(ar -> {
            int status = ar.succeeded() ? ar.result() : 0;
            boolean retryable = ar.failed() || status == 429 || status >= 500;
            if (!retryable) {
                done.complete(new Delivery(status / 100 == 2, n, status, status / 100 == 2 ? null : "answered " + status));
            } else if (n >= backoff.attempts() || closed) {
                done.complete(new Delivery(false, n, status, ar.failed() ? describe(ar.cause()) : "answered " + status));
            } else {
                vertx.setTimer(backoff.delayMillis(n), t -> attempt(body, signature, n + 1, done));
            }
        });
    }

    /** Why an attempt failed, without the URL's path or query (they may hold a token; Vert.x timeouts name the URI). */
    private String describe(Throwable e) {
        if (e instanceof java.util.concurrent.TimeoutException) return "no answer within " + backoff.attemptTimeout().toMillis() + " ms";
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (url.getRawQuery() != null) m = m.replace(url.getRawQuery(), "…");
        if (url.getRawPath() != null && url.getRawPath().length() > 1) m = m.replace(url.getRawPath(), "/…");
        return m;
    }

    /** Lowercase hex HMAC-SHA256 of the body's bytes. */
    public static String hmac(SecretKeySpec key, Buffer body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        client.close();
    }
}
