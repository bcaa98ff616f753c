package io.bricksllm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Raw HTTP calls to the proxy, for endpoints and refusals the SDKs do not reach. */
public final class ProxyClient {
    public record Reply(int status, java.net.http.HttpHeaders headers, byte[] body) {
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(15)).build();
    private final String base;

    public ProxyClient(String base) {
        this.base = base;
    }

    public Reply send(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code n} requests at once and returns their statuses. */
    public java.util.List<Integer> concurrentPosts(int n, String path, String key, String json) {
        var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<Void>>>();
        for (int i = 0; i < n; i++) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build();
            futures.add(http.sendAsync(req, HttpResponse.BodyHandlers.discarding()));
        }
        return futures.stream().map(f -> f.join().statusCode()).toList();
    }

    public Reply postJson(String path, String key, String json) {
        return send("POST", path, Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json"),
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Reply get(String path, String key) {
        return send("GET", path, Map.of("Authorization", "Bearer " + key), null);
    }
}
