package io.bricksllm.admin.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console's pages do, without a browser: keeps cookies, follows redirects, sends {@code X-Bricks-Console: 1}
 * and, once signed in, the session's CSRF token on changes.
 */
final class Browser {
    record Answer(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            return Json.read(body, JsonNode.class);
        }

        List<String> setCookies() {
            return raw.headers().allValues("set-cookie");
        }
    }

    final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();
    String csrf;

    Browser(String base) {
        this(base, HttpClient.Redirect.NORMAL);
    }

    Browser(String base, HttpClient.Redirect redirects) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(redirects)
                .connectTimeout(Duration.ofSeconds(5)).build();
        headers.put("X-Bricks-Console", "1");
    }

    Browser header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Answer login(String password) {
        Answer a = send("POST", "/ui/api/login", Json.write(Map.of("password", password)));
        if (a.status() == 200) csrf = a.json().path("csrfToken").asText(null);
        return a;
    }

    Answer get(String path) {
        return send("GET", path, null);
    }

    Answer send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        if (csrf != null && !method.equals("GET")) b.header("X-CSRF-Token", csrf);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
