package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In-flight request bodies share a bounded memory (PROXY_BODY_MEMORY): a body that does not fit is answered 503 with
 * Retry-After while the others carry on, and every way a request ends gives its bytes back.
 */
class BodyMemoryTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final int MEMORY = 1 << 20;
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String key = "sk-body-memory";

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start(Map.of("PROXY_BODY_MEMORY", String.valueOf(MEMORY), "PROXY_BODY_LIMIT", "64MiB"));
        proxy = new ProxyClient(gw.proxyUrl());
        String setting = gw.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + key + "\",\"settingIds\":[\"" + setting + "\"]}");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1)));
    }

    static String chat(int approxBytes, boolean stream) {
        return "{\"model\":\"gpt-4o-mini\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(approxBytes) + "\"}]}";
    }

    @Test
    void aBodyThatDoesNotFitBesideTheOthersIs503WithRetryAfterAndTheOthersCarryOn() throws Exception {
        upstream.on("POST", "/v1/chat/completions",
                MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1)).withDelay(Duration.ofSeconds(2)));
        CompletableFuture<ProxyClient.Reply> first = CompletableFuture.supplyAsync(() -> proxy.postJson(CHAT, key, chat(700_000, false)));
        Poll.until(Duration.ofSeconds(10), "the first body is held", () -> gw.gateway().bodyMemory().used() >= 700_000);

        ProxyClient.Reply second = proxy.postJson(CHAT, key, chat(700_000, false));
        assertThat(second.status()).as(second.text()).isEqualTo(503);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(second.text()).contains("\"error\"").contains("retry shortly");
        assertThat(proxy.postJson(CHAT, key, chat(100, false)).status()).as("a small body still fits").isEqualTo(200);

        assertThat(first.get().status()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(5), "the first body's memory is back", () -> gw.gateway().bodyMemory().used() == 0);
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1)));
        assertThat(proxy.postJson(CHAT, key, chat(700_000, false)).status()).as("fits once the other ended").isEqualTo(200);
        Poll.until(Duration.ofSeconds(5), "the body's memory is back", () -> gw.gateway().bodyMemory().used() == 0);
    }

    @Test
    void aBodyOverTheWholeMemoryIs413AtOnce() {
        ProxyClient.Reply r = proxy.postJson(CHAT, key, chat(MEMORY + 10, false));
        assertThat(r.status()).as(r.text()).isEqualTo(413);
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void aChunkedBodyTakesItsMemoryAsItArrives() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] body = chat(600_000, true).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gw.proxyUrl() + CHAT))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                // an InputStream has no known length: sent chunked, without Content-Length
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(upstream.last().body()).hasSizeGreaterThan(600_000);
        // a big body: inspected by the streaming parser, include_usage still injected
        assertThat(upstream.last().bodyText()).startsWith("{\"stream_options\":{\"include_usage\":true},");
        Poll.until(Duration.ofSeconds(5), "the body's memory is back", () -> gw.gateway().bodyMemory().used() == 0);
    }

    @Test
    void aCallerWhoDisconnectsMidBodyGivesItsMemoryBack() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gw.gateway().proxyPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST " + CHAT + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: 900000\r\n\r\n{\"model\":\"").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Poll.until(Duration.ofSeconds(5), "the declared body is held", () -> gw.gateway().bodyMemory().used() == 900_000);
        }
        Poll.until(Duration.ofSeconds(5), "the memory is back after the disconnect", () -> gw.gateway().bodyMemory().used() == 0);
    }

    @Test
    void refusalsAfterTheBodyGiveItsMemoryBack() {
        ProxyClient.Reply r = proxy.postJson(CHAT, key, "{\"model\":\"gpt-4o-mini\",\"messages\":[] ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(proxy.postJson(CHAT, "sk-unknown", chat(1000, false)).status()).isEqualTo(401);
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.closeConnection());
        assertThat(proxy.postJson(CHAT, key, chat(1000, false)).status()).isEqualTo(502);
        Poll.until(Duration.ofSeconds(5), "no memory held", () -> gw.gateway().bodyMemory().used() == 0);
    }
}
