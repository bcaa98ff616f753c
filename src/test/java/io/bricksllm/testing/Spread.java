package io.bricksllm.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Requests spread over several gateway instances, as a round-robin load balancer would. */
public final class Spread {
    /** One answer and the instance (index into the list of base URLs) that gave it. */
    public record Answer(int instance, int status, String body) {}

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> proxyUrls;

    public Spread(List<String> proxyUrls) {
        this.proxyUrls = List.copyOf(proxyUrls);
    }

    public static Spread over(List<TestGateway> instances) {
        return new Spread(instances.stream().map(TestGateway::proxyUrl).toList());
    }

    /** Sends {@code n} POSTs at once, request i to instance i mod (number of instances); waits for every answer. */
    public List<Answer> concurrentPosts(int n, String path, String key, String json) {
        List<CompletableFuture<Answer>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int instance = i % proxyUrls.size();
            futures.add(http.sendAsync(request(instance, path, key, json), HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Answer(instance, r.statusCode(), r.body())));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /** One POST to instance {@code i}. */
    public Answer post(int instance, String path, String key, String json) {
        try {
            HttpResponse<String> r = http.send(request(instance, path, key, json), HttpResponse.BodyHandlers.ofString());
            return new Answer(instance, r.statusCode(), r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int size() {
        return proxyUrls.size();
    }

    private HttpRequest request(int instance, String path, String key, String json) {
        return HttpRequest.newBuilder(URI.create(proxyUrls.get(instance) + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    public static long count(List<Answer> answers, int status) {
        return answers.stream().filter(a -> a.status() == status).count();
    }

    public static long count(List<Answer> answers, int instance, int status) {
        return answers.stream().filter(a -> a.instance() == instance && a.status() == status).count();
    }
}
