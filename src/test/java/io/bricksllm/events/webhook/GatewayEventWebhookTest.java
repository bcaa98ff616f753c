package io.bricksllm.events.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.telemetry.EventWebhookMetrics;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proxied requests reach the event webhook through a whole gateway; bodies only for the key that logs them. */
class GatewayEventWebhookTest {
    private static final String CHAT = "/api/providers/openai/v1/chat/completions";

    @Test
    void proxiedRequestsArriveAtTheWebhookWithBodiesOnlyForALoggingKey() {
        try (WebhookReceiver receiver = new WebhookReceiver("gw-secret"); MockUpstream upstream = new MockUpstream();
             TestGateway gw = TestGateway.start(Map.of("EVENT_WEBHOOK_URL", receiver.url(), "EVENT_WEBHOOK_SECRET", "gw-secret",
                     "EVENT_WEBHOOK_MAX_DELAY", "50ms"))) {
            String answer = Fixtures.chatCompletion("gpt-4o-mini", "hello", 3, 2);
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, answer));
            String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String logged = gw.admin.createKey("{\"name\":\"k\",\"key\":\"logged\",\"settingIds\":[\"" + s
                    + "\"],\"shouldLogRequest\":true,\"shouldLogResponse\":true}").get("keyId").asText();
            String quiet = gw.admin.createKey("{\"name\":\"k\",\"key\":\"quiet\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            for (int i = 0; i < 3; i++) {
                assertThat(proxy.postJson(CHAT, "logged", body).status()).isEqualTo(200);
                assertThat(proxy.postJson(CHAT, "quiet", body).status()).isEqualTo(200);
            }

            Poll.until(Duration.ofSeconds(20), "six events at the webhook", () -> receiver.acceptedEvents() >= 6);
            List<JsonNode> events = receiver.accepted().stream().flatMap(r -> r.events().stream()).toList();
            assertThat(events).hasSize(6);
            assertThat(receiver.accepted()).allSatisfy(r -> {
                assertThat(r.signatureValid()).isTrue();
                assertThat(r.contentType()).isEqualTo("application/x-ndjson");
                assertThat(r.batchId()).isNotBlank();
            });
            assertThat(events).extracting(e -> e.get("id").asText()).doesNotHaveDuplicates();
            List<JsonNode> loggedEvents = events.stream().filter(e -> e.get("key_id").asText().equals(logged)).toList();
            List<JsonNode> quietEvents = events.stream().filter(e -> e.get("key_id").asText().equals(quiet)).toList();
            assertThat(loggedEvents).hasSize(3).allSatisfy(e -> {
                assertThat(decode(e.get("request"))).isEqualTo(body);
                assertThat(decode(e.get("response"))).isEqualTo(answer);
                assertThat(e.get("status").asInt()).isEqualTo(200);
                assertThat(e.get("prompt_token_count").asLong()).isEqualTo(3);
                assertThat(e.get("model").asText()).isEqualTo("gpt-4o-mini");
            });
            assertThat(quietEvents).hasSize(3).allSatisfy(e -> {
                assertThat(e.has("request")).isFalse();
                assertThat(e.has("response")).isFalse();
            });
            // the same events as the admin API's
            List<String> stored = io.bricksllm.testing.Events.await(gw.admin, logged, 3, Duration.ofSeconds(10)).stream()
                    .map(e -> e.get("id").asText()).toList();
            assertThat(loggedEvents).extracting(e -> e.get("id").asText()).containsExactlyInAnyOrderElementsOf(stored);

            Poll.until(Duration.ofSeconds(5), "counted", () -> gw.gateway().meterRegistry().find(EventWebhookMetrics.EVENTS)
                    .tag("result", "delivered").functionCounter().count() == 6);
            assertThat(Files.isDirectory(gw.dataDir().resolve("webhook-spool"))).as("default spool, in the data directory").isTrue();
            String metrics = gw.admin.get("/metrics").body();
            assertThat(metrics).contains("bricksllm_event_webhook_events_total{result=\"delivered\"} 6.0",
                    "bricksllm_event_webhook_events_total{result=\"dropped\"} 0.0", "bricksllm_event_webhook_batches_total",
                    "bricksllm_event_webhook_queue_depth", "bricksllm_event_webhook_spool_bytes",
                    "bricksllm_event_webhook_last_delivery_latency_seconds");
        }
    }

    @Test
    void eventsOfAGatewayStoppedWhileTheReceiverIsDownAreDeliveredOnceByTheNextStart() throws Exception {
        java.nio.file.Path dir = Files.createTempDirectory("bricksllm-webhook-restart");
        int n = 20;
        try (WebhookReceiver receiver = new WebhookReceiver(null); MockUpstream upstream = new MockUpstream()) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1, 1)));
            Map<String, String> env = Map.of("DATA_DIR", dir.toString(), "EVENT_WEBHOOK_URL", receiver.url(),
                    "EVENT_WEBHOOK_MAX_DELAY", "50ms", "EVENT_WEBHOOK_BATCH_SIZE", "5");
            receiver.stop();
            try (TestGateway gw = TestGateway.start(env)) {
                String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
                gw.admin.createKey("{\"name\":\"k\",\"key\":\"restart\",\"settingIds\":[\"" + s + "\"]}");
                ProxyClient proxy = new ProxyClient(gw.proxyUrl());
                for (int i = 0; i < n; i++) {
                    assertThat(proxy.postJson(CHAT, "restart", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}").status()).isEqualTo(200);
                }
            } // stopped with every event undelivered
            receiver.start();
            try (TestGateway again = TestGateway.start(env)) {
                Poll.until(Duration.ofSeconds(20), "the spooled events", () -> receiver.acceptedEvents() >= n);
                List<String> ids = receiver.acceptedIds();
                assertThat(ids).hasSize(n).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void withoutAUrlThereIsNoWebhook() {
        try (TestGateway gw = TestGateway.start()) {
            assertThat(gw.gateway().meterRegistry().find(EventWebhookMetrics.EVENTS).meters()).isEmpty();
            assertThat(Files.exists(gw.dataDir().resolve("webhook-spool"))).isFalse();
        }
    }

    private static String decode(JsonNode n) {
        return new String(Base64.getDecoder().decode(n.asText()), StandardCharsets.UTF_8);
    }
}
