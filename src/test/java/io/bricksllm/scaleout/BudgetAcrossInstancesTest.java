package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.Spread;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A total cost budget holds across instances as on one: reserve-then-settle in one shared Redis ledger. */
class BudgetAcrossInstancesTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    // max_tokens makes the reservation an upper bound of the real cost
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void concurrentRequestsOverTwoInstancesCannotSpendPastTheLimitByMoreThanOneRequest() {
        try (TestRedis redis = TestRedis.start(); MockUpstream upstream = new MockUpstream();
             ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port())) {
            // gpt-4o-mini: $0.15 / $0.60 per million tokens → 10 in + 1000 out = $0.0006015 per request
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 10, 1000)));
            BigDecimal perRequest = new BigDecimal("0.0000015").add(new BigDecimal("0.0006"));
            BigDecimal limit = new BigDecimal("0.006");
            List<TestGateway> gws = cluster.start(2, Map.of("REDIS_READ_TIME_OUT", "10s"), java.time.Clock.systemUTC());
            TestGateway a = gws.get(0);
            String s = a.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String keyId = a.admin.createKey("{\"name\":\"k\",\"key\":\"shared-budget\",\"settingIds\":[\"" + s
                    + "\"],\"costLimitInUsd\":" + limit + "}").get("keyId").asText();
            for (TestGateway gw : gws) {
                Poll.until(Duration.ofSeconds(5), "key known to every instance",
                        () -> gw.gateway().liveConfig().current().keysById().containsKey(keyId));
            }
            Spread spread = Spread.over(gws);

            List<Spread.Answer> burst = spread.concurrentPosts(50, CHAT, "shared-budget", BODY);
            long burstAdmitted = Spread.count(burst, 200);
            assertThat(burst).allMatch(x -> x.status() == 200 || x.status() == 429);
            long admitted = burstAdmitted;
            int last = 200;
            for (int i = 0; i < 20 && last == 200; i++) { // alternate instances until the budget refuses
                last = spread.post(i % 2, CHAT, "shared-budget", BODY).status();
                if (last == 200) admitted++;
            }
            BigDecimal spent = perRequest.multiply(BigDecimal.valueOf(admitted));
            System.out.printf("budget across 2 instances: limit $%s, burst of 50 admitted %d (%d/%d per instance), total admitted %d, spent $%s (bound: limit + $%s)%n",
                    limit, burstAdmitted, Spread.count(burst, 0, 200), Spread.count(burst, 1, 200), admitted, spent, perRequest);
            assertThat(last).isEqualTo(429);
            assertThat(upstream.calls()).isEqualTo((int) admitted);
            assertThat(spent).isLessThanOrEqualTo(limit.add(perRequest));
            assertThat(spent).isGreaterThan(limit.subtract(perRequest));
            for (int i = 0; i < 2; i++) {
                Spread.Answer refused = spread.post(i, CHAT, "shared-budget", BODY);
                assertThat(refused.status()).as("instance %d", i).isEqualTo(429);
                assertThat(refused.body()).contains("cost limit");
            }
        }
    }
}
