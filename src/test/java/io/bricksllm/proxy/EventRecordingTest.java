package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One event per proxied request once the key is known, with the fields of BEHAVIOUR.md §3.10. */
class EventRecordingTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";

    static String decode(JsonNode n) {
        return new String(Base64.getDecoder().decode(n.asText()), StandardCharsets.UTF_8);
    }

    @Test
    void eventsCarryHeadersBodiesAndRefusals() {
        try (MockUpstream upstream = new MockUpstream(); TestGateway gw = TestGateway.start()) {
            String response = Fixtures.chatCompletion("gpt-4o-mini", "logged answer", 3, 2);
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, response));
            String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String logged = gw.admin.createKey("{\"name\":\"k\",\"key\":\"logged\",\"tags\":[\"t1\"],\"settingIds\":[\"" + s
                    + "\"],\"shouldLogRequest\":true,\"shouldLogResponse\":true,\"allowedPaths\":[{\"path\":\"" + CHAT + "\",\"method\":\"POST\"}]}")
                    .get("keyId").asText();
            String quiet = gw.admin.createKey("{\"name\":\"k\",\"key\":\"quiet\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            String body = "{\"model\":\"gpt-4o-mini\",\"user\":\"end-user-7\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

            proxy.send("POST", CHAT, Map.of("Authorization", "Bearer logged", "Content-Type", "application/json",
                    "X-CUSTOM-EVENT-ID", "evt-42", "X-METADATA", "{\"team\":\"a\"}"), body.getBytes());
            proxy.postJson("/api/providers/openai/v1/embeddings", "logged", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");
            proxy.postJson(CHAT, "quiet", body);

            List<JsonNode> loggedEvents = Events.await(gw.admin, logged, 2, Duration.ofSeconds(2));
            JsonNode ok = loggedEvents.stream().filter(e -> e.get("status").asInt() == 200).findFirst().orElseThrow();
            assertThat(decode(ok.get("request"))).isEqualTo(body);
            assertThat(decode(ok.get("response"))).isEqualTo(response);
            assertThat(ok.get("custom_id").asText()).isEqualTo("evt-42");
            assertThat(decode(ok.get("metadata"))).isEqualTo("\"{\\\"team\\\":\\\"a\\\"}\"");
            assertThat(ok.get("userId").asText()).isEqualTo("end-user-7");
            assertThat(ok.get("tags")).extracting(JsonNode::asText).containsExactly("t1");
            assertThat(ok.get("path").asText()).isEqualTo(CHAT);
            assertThat(ok.get("method").asText()).isEqualTo("POST");
            assertThat(ok.get("correlationId").asText()).isNotBlank();
            assertThat(ok.get("latency_in_ms").asLong()).isGreaterThanOrEqualTo(0);

            JsonNode refused = loggedEvents.stream().filter(e -> e.get("status").asInt() == 403).findFirst().orElseThrow();
            assertThat(refused.get("path").asText()).isEqualTo("/api/providers/openai/v1/embeddings");
            assertThat(refused.get("cost_in_usd").asDouble()).isZero();

            JsonNode q = Events.single(gw.admin, quiet);
            assertThat(q.get("request").asText()).isEqualTo("e30=");
            assertThat(q.get("response").asText()).isEqualTo("e30=");
            assertThat(decode(q.get("metadata"))).isEqualTo("{}");
        }
    }

    @Test
    void eventsInFlightAtShutdownAreWrittenNotLost() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bricksllm-shutdown");
        String keyId;
        int n = 300;
        try (MockUpstream upstream = new MockUpstream()) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1, 1)));
            try (TestGateway gw = TestGateway.start(Map.of("DATA_DIR", dir.toString(), "EVENT_FLUSH_INTERVAL", "10s", "EVENT_BATCH_SIZE", "100000"))) {
                String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
                keyId = gw.admin.createKey("{\"name\":\"k\",\"key\":\"shutdown\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
                List<Integer> statuses = new ProxyClient(gw.proxyUrl()).concurrentPosts(n, CHAT, "shutdown",
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[]}");
                assertThat(statuses).allMatch(c -> c == 200);
            } // closed with every event still queued: batch size and flush interval never triggered
            try (TestGateway again = TestGateway.start(Map.of("DATA_DIR", dir.toString()))) {
                assertThat(Events.fetch(again.admin, keyId)).hasSize(n);
            }
        }
    }

    @Test
    void aCallerWhoLeavesBeforeTheAnswerIsRecordedAs499NotAsAnUpstreamFailure() throws Exception {
        try (MockUpstream upstream = new MockUpstream(); TestGateway gw = TestGateway.start()) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "late", 1, 1))
                    .withDelay(Duration.ofSeconds(2)));
            String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String id = gw.admin.createKey("{\"name\":\"k\",\"key\":\"leaver\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
            var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.proxyUrl() + CHAT)).timeout(Duration.ofMillis(300))
                    .header("Authorization", "Bearer leaver").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")).build();
            try {
                http.send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
            } catch (java.net.http.HttpTimeoutException expected) {
                // the caller gave up
            }
            http.close(); // closes the connection the gateway is still holding
            JsonNode e = Events.single(gw.admin, id);
            assertThat(e.get("status").asInt()).isEqualTo(499);
        }
    }
}
