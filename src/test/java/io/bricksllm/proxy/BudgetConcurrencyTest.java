package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetConcurrencyTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    // max_tokens makes the reservation an upper bound of the real cost
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void concurrentRequestsCannotSpendPastTheLimitByMoreThanOneRequest() {
        try (MockUpstream upstream = new MockUpstream(); TestGateway gw = TestGateway.start()) {
            // gpt-4o-mini: $0.15 / $0.60 per million tokens → 10 in + 1000 out = $0.0006015 per request
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 10, 1000)));
            BigDecimal perRequest = new BigDecimal("0.0000015").add(new BigDecimal("0.0006"));
            BigDecimal limit = new BigDecimal("0.006");
            String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            gw.admin.createKey("{\"name\":\"k\",\"key\":\"budget\",\"settingIds\":[\"" + s + "\"],\"costLimitInUsd\":" + limit + "}");
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());

            List<Integer> burst = proxy.concurrentPosts(50, CHAT, "budget", BODY);
            long admitted = burst.stream().filter(c -> c == 200).count();
            assertThat(burst).allMatch(c -> c == 200 || c == 429);

            int last = 200;
            for (int i = 0; i < 20 && last == 200; i++) {
                last = proxy.postJson(CHAT, "budget", BODY).status();
                if (last == 200) admitted++;
            }
            BigDecimal spent = perRequest.multiply(BigDecimal.valueOf(admitted));
            System.out.printf("budget under concurrency: limit $%s, burst of 50 admitted %d, total admitted %d, spent $%s%n",
                    limit, burst.stream().filter(c -> c == 200).count(), admitted, spent);
            assertThat(last).isEqualTo(429);
            assertThat(upstream.calls()).isEqualTo((int) admitted);
            assertThat(spent).isLessThanOrEqualTo(limit.add(perRequest));
            assertThat(spent).isGreaterThan(limit.subtract(perRequest));
            ProxyClient.Reply refused = proxy.postJson(CHAT, "budget", BODY);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.text()).contains("cost limit");
        }
    }
}
