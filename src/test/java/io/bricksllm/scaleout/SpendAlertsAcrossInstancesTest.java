package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.Spread;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Issue 19.5 end to end: a team budget spent through two instances sharing PostgreSQL and Redis crosses 50 %, 80 % and
 * 100 %; the webhook receives each threshold exactly once, signed with {@code ALERT_WEBHOOK_SECRET}.
 */
class SpendAlertsAcrossInstancesTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String SECRET = "whsec-test-4f1c";

    @Test
    void eachThresholdOfATeamBudgetIsPostedOnceSignedWhicheverInstanceCrossedIt() throws Exception {
        try (TestRedis redis = TestRedis.start(); MockUpstream upstream = new MockUpstream(); MockUpstream receiver = new MockUpstream();
             ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port())) {
            // 1,000 prompt + 10 completion tokens of gpt-4o-mini: $0.000156 a request
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1000, 10)));
            receiver.on("POST", "/hook", MockUpstream.Reply.json(200, "{}"));
            List<TestGateway> gws = cluster.start(2, Map.of("ALERT_WEBHOOK_URL", receiver.url("/hook"), "ALERT_WEBHOOK_SECRET", SECRET),
                    java.time.Clock.systemUTC());
            TestGateway a = gws.get(0);
            String s = a.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            // $0.001: 50 % after 4 requests ($0.000624), 80 % after 6 ($0.000936), 100 % after 7 ($0.001092)
            String team = a.admin.post("/api/teams", "{\"name\":\"alerts\",\"costLimitInUsd\":0.001}").json().get("id").asText();
            String keyId = a.admin.createKey("{\"name\":\"k\",\"key\":\"alerted\",\"settingIds\":[\"" + s + "\"],\"teamId\":\"" + team + "\"}")
                    .get("keyId").asText();
            for (TestGateway gw : gws) {
                Poll.until(Duration.ofSeconds(5), "key and team known to every instance", () -> gw.gateway().liveConfig().current().keysById()
                        .containsKey(keyId) && gw.gateway().liveConfig().current().teamsById().containsKey(team));
            }
            Spread spread = Spread.over(gws);
            int admitted = 0;
            int last = 200;
            for (int i = 0; i < 12 && last == 200; i++) { // one at a time, alternating instances, until the budget refuses
                last = spread.post(i % 2, CHAT, "alerted", BODY).status();
                if (last == 200) {
                    admitted++;
                    // settling follows the answer: wait for it, so the next request sees this one's cost, not its reservation
                    long micros = admitted * 156L;
                    io.bricksllm.testing.ProxyClient view = new io.bricksllm.testing.ProxyClient(a.proxyUrl());
                    Poll.until(Duration.ofSeconds(5), "spend settled", () -> Json.read(view.get("/v1/key", "alerted").text(), JsonNode.class)
                            .get("team").get("usage").get("costInUsd").get("spentInUsd").asDouble() * 1e6 >= micros - 1);
                }
            }
            assertThat(admitted).isEqualTo(7);
            assertThat(last).isEqualTo(429);

            Poll.until(Duration.ofSeconds(10), "three alerts", () -> receiver.calls() >= 3);
            List<MockUpstream.Received> hooks = receiver.received();
            assertThat(hooks).hasSize(3);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (MockUpstream.Received h : hooks) {
                String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(h.body()));
                assertThat(h.header("X-BricksLLM-Signature")).isEqualTo(expected);
                assertThat(h.header("Content-Type")).startsWith("application/json");
            }
            List<JsonNode> alerts = hooks.stream().map(h -> Json.read(h.bodyText(), JsonNode.class)).toList();
            assertThat(alerts).extracting(n -> n.get("thresholdPercent").asInt()).containsExactlyInAnyOrder(50, 80, 100);
            assertThat(alerts).allSatisfy(n -> {
                assertThat(n.get("level").asText()).isEqualTo("team");
                assertThat(n.get("id").asText()).isEqualTo(team);
                assertThat(n.get("budget").get("kind").asText()).isEqualTo("total");
                assertThat(n.get("budget").get("limitUsd").asDouble()).isEqualTo(0.001);
            });
            JsonNode hundred = alerts.stream().filter(n -> n.get("thresholdPercent").asInt() == 100).findFirst().orElseThrow();
            assertThat(hundred.get("spendUsd").asDouble()).isGreaterThanOrEqualTo(0.001);

            // more refused requests settle nothing: still three
            for (int i = 0; i < 4; i++) assertThat(spread.post(i % 2, CHAT, "alerted", BODY).status()).isEqualTo(429);
            assertThat(receiver.calls()).isEqualTo(3);
        }
    }
}
