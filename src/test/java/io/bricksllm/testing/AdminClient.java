package io.bricksllm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A small blocking HTTP client for the admin API in tests. */
public final class AdminClient {
    public record Reply(int status, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, String> headers = new HashMap<>();

    public AdminClient(String base) {
        this.base = base;
    }

    public AdminClient withHeader(String name, String value) {
        AdminClient c = new AdminClient(base);
        c.headers.putAll(headers);
        c.headers.put(name, value);
        return c;
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply put(String path, String json) {
        return send("PUT", path, json);
    }

    public Reply post(String path, String json) {
        return send("POST", path, json);
    }

    public Reply patch(String path, String json) {
        return send("PATCH", path, json);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null);
    }

    public Reply send(String method, String path, String json) {
        HttpResponse<String> r = exchange(method, path, json);
        return new Reply(r.statusCode(), r.body());
    }

    /** The whole answer, headers included (a paged list's {@code X-Next-Cursor}). */
    public HttpResponse<String> exchange(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates an OpenAI setting and returns its id. */
    public String createSetting(String provider, Map<String, String> setting) {
        Reply r = put("/api/provider-settings", Json.write(Map.of("provider", provider, "setting", setting, "name", provider)));
        if (r.status() != 200) throw new AssertionError("setting not created: " + r);
        return r.json().get("id").asText();
    }

    /** Creates a key from a JSON body and returns the reply's JSON. */
    public JsonNode createKey(String json) {
        Reply r = put("/api/key-management/keys", json);
        if (r.status() != 200) throw new AssertionError("key not created: " + r);
        return r.json();
    }
}
