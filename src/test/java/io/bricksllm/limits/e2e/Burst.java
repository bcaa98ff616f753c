package io.bricksllm.limits.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Many proxy requests at once, each to its own instance with its own key; answers keep their headers. */
final class Burst {
    /** One request: to instance {@code instance} (index into the proxy URLs), with gateway key {@code key}. */
    record Call(int instance, String key, String body) {}

    record Answer(Call call, int status, HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(15)).build();
    private final List<String> proxyUrls;
    private final String path;

    Burst(List<String> proxyUrls, String path) {
        this.proxyUrls = List.copyOf(proxyUrls);
        this.path = path;
    }

    /** Request i goes to instance i mod instances with key i mod keys. */
    static List<Call> roundRobin(int n, int instances, List<String> keys, String body) {
        List<Call> calls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) calls.add(new Call(i % instances, keys.get(i % keys.size()), body));
        return calls;
    }

    /** Sends every call at once and waits for every answer (bodies read in full, streams included). */
    List<Answer> send(List<Call> calls) {
        List<CompletableFuture<Answer>> futures = new ArrayList<>(calls.size());
        for (Call c : calls) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(proxyUrls.get(c.instance()) + path)).timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + c.key()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(c.body())).build();
            futures.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Answer(c, r.statusCode(), r.headers(), r.body())));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    Answer one(int instance, String key, String body) {
        return send(List.of(new Call(instance, key, body))).get(0);
    }

    static List<Answer> withStatus(List<Answer> answers, int status) {
        return answers.stream().filter(a -> a.status() == status).toList();
    }
}
