package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Target health in scale-out mode: failures seen by one instance take the target out at the other too; one probe. */
class SharedTargetHealthTest {
    static final String CHAT = "/v1/chat/completions";
    static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static String state(TestGateway gw, String routeId) {
        JsonNode steps = gw.admin.get("/api/routes/" + routeId + "/health").json().get("steps");
        return steps == null || steps.isEmpty() ? "" : steps.get(0).get("targets").get(0).get("state").asText();
    }

    @Test
    void aTargetFailingAtOneInstanceCoolsDownAtBothAndIsProbedOnce() {
        try (TestRedis redis = TestRedis.start(); MockUpstream a = new MockUpstream(); MockUpstream b = new MockUpstream();
             ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port())) {
            a.on("POST", CHAT, MockUpstream.Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
            b.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "answer from b", 5, 5)));
            TestGateway one = cluster.start(Map.of());
            TestGateway two = cluster.start(Map.of());
            String sa = one.admin.createSetting("openai", Map.of("apikey", "sk-a", "url", a.url("/v1")));
            String sb = one.admin.createSetting("openai", Map.of("apikey", "sk-b", "url", b.url("/v1")));
            String key = one.admin.createKey("{\"name\":\"k\",\"key\":\"shared-key\",\"settingIds\":[\"" + sa + "\",\"" + sb + "\"]}").get("keyId").asText();
            String routeId = one.admin.post("/api/routes", "{\"name\":\"r\",\"path\":\"/shared\",\"keyIds\":[\"" + key + "\"],"
                    + "\"cacheConfig\":{\"enabled\":false},\"steps\":[{\"name\":\"pool\",\"strategy\":\"round-robin\",\"retries\":1,\"retryInterval\":\"1ms\","
                    + "\"failureThreshold\":2,\"cooldown\":\"2s\",\"targets\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"settingId\":\"" + sa
                    + "\"},{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"settingId\":\"" + sb + "\"}]}]}").json().get("id").asText();
            Poll.until(Duration.ofSeconds(10), "route known to the second instance",
                    () -> two.gateway().liveConfig().current().routesByPath().containsKey("/shared"));
            ProxyClient p1 = new ProxyClient(one.proxyUrl());
            ProxyClient p2 = new ProxyClient(two.proxyUrl());
            assertThat(state(two, routeId)).isEqualTo("healthy"); // the second instance now follows this target
            // one failure at each instance: the second reaches the shared threshold
            assertThat(p1.postJson("/api/routes/shared", "shared-key", BODY).text()).contains("answer from b");
            assertThat(p2.postJson("/api/routes/shared", "shared-key", BODY).text()).contains("answer from b");
            assertThat(a.calls()).isEqualTo(2);
            Poll.until(Duration.ofSeconds(5), "cooldown seen by both", () -> state(one, routeId).equals("cooldown") && state(two, routeId).equals("cooldown"));
            for (int i = 0; i < 3; i++) {
                p1.postJson("/api/routes/shared", "shared-key", BODY);
                p2.postJson("/api/routes/shared", "shared-key", BODY);
            }
            assertThat(a.calls()).isEqualTo(2);
            // a recovers; after the cooldown exactly one instance probes it, then both send to it again
            a.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "answer from a", 5, 5)));
            int[] turn = {0};
            Poll.until(Duration.ofSeconds(15), "a probed", () -> {
                (turn[0]++ % 2 == 0 ? p1 : p2).postJson("/api/routes/shared", "shared-key", BODY);
                return a.calls() > 2;
            });
            assertThat(a.calls()).isEqualTo(3);
            Poll.until(Duration.ofSeconds(5), "healthy at both", () -> state(one, routeId).equals("healthy") && state(two, routeId).equals("healthy"));
            long before = a.calls();
            for (int i = 0; i < 4; i++) p2.postJson("/api/routes/shared", "shared-key", BODY);
            assertThat(a.calls() - before).isEqualTo(2);
        }
    }
}
