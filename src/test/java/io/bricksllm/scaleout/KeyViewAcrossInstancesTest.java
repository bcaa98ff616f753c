package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/key} reads the shared Redis counters: what instance A counted, instance B shows. */
class KeyViewAcrossInstancesTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void usageRecordedByOneInstanceIsSeenByAnothersKeyView() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T12:00:30Z"), ZoneOffset.UTC); // one minute window for all
        try (TestRedis redis = TestRedis.start(); MockUpstream upstream = new MockUpstream();
             ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port())) {
            // $0.000156 a request (1,000 prompt + 10 completion tokens of gpt-4o-mini)
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1000, 10)));
            List<TestGateway> gws = cluster.start(2, Map.of("REDIS_READ_TIME_OUT", "10s"), clock);
            TestGateway a = gws.get(0);
            TestGateway b = gws.get(1);
            String s = a.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String keyId = a.admin.createKey("{\"name\":\"k\",\"key\":\"shared-view\",\"settingIds\":[\"" + s
                    + "\"],\"rateLimitOverTime\":10,\"rateLimitUnit\":\"m\",\"costLimitInUsd\":1,"
                    + "\"costLimitInUsdOverTime\":0.5,\"costLimitInUsdUnit\":\"h\"}").get("keyId").asText();
            for (TestGateway gw : gws) {
                Poll.until(Duration.ofSeconds(5), "key known to every instance",
                        () -> gw.gateway().liveConfig().current().keysById().containsKey(keyId));
            }
            ProxyClient onA = new ProxyClient(a.proxyUrl());
            ProxyClient onB = new ProxyClient(b.proxyUrl());
            for (int i = 0; i < 4; i++) assertThat(onA.postJson(CHAT, "shared-view", BODY).status()).isEqualTo(200);
            double cost = Events.awaitMatching(a.admin, keyId, e -> e.get("path").asText().equals(CHAT), 4).stream()
                    .mapToDouble(e -> e.get("cost_in_usd").asDouble()).sum();

            ProxyClient.Reply r = onB.get("/v1/key", "shared-view");
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            JsonNode usage = Json.read(r.text(), JsonNode.class).get("usage");
            assertThat(usage.get("requests").get("used").asLong()).isEqualTo(4);
            assertThat(usage.get("requests").get("remaining").asLong()).isEqualTo(6);
            assertThat(usage.get("costInUsd").get("spentInUsd").asDouble()).isCloseTo(cost, within(4e-6));
            assertThat(usage.get("costInUsdOverTime").get("spentInUsd").asDouble()).isCloseTo(cost, within(4e-6));
            assertThat(usage.get("costInUsdOverTime").get("resetsAt").asLong())
                    .isEqualTo(Instant.parse("2026-01-01T13:00:00Z").getEpochSecond());

            // views on either instance take nothing from the shared counters
            for (int i = 0; i < 3; i++) {
                assertThat(onA.get("/v1/key", "shared-view").status()).isEqualTo(200);
                assertThat(onB.get("/v1/key", "shared-view").status()).isEqualTo(200);
            }
            JsonNode again = Json.read(onA.get("/v1/key", "shared-view").text(), JsonNode.class).get("usage");
            assertThat(again).isEqualTo(usage);
        }
    }
}
