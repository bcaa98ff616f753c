package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitConcurrencyTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void twoHundredConcurrentRequestsOnAHundredPerMinuteKeyAdmitExactlyAHundred() {
        // A fixed clock keeps every request in one minute window, whatever the wall clock does.
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T12:00:30Z"), ZoneOffset.UTC);
        try (MockUpstream upstream = new MockUpstream(); TestGateway gw = TestGateway.start(Map.of(), clock)) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1)));
            String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            gw.admin.createKey("{\"name\":\"k\",\"key\":\"burst\",\"settingIds\":[\"" + s + "\"],\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\"}");

            List<Integer> statuses = new ProxyClient(gw.proxyUrl()).concurrentPosts(200, CHAT, "burst", BODY);

            assertThat(statuses.stream().filter(c -> c == 200).count()).isEqualTo(100);
            assertThat(statuses.stream().filter(c -> c == 429).count()).isEqualTo(100);
            assertThat(upstream.calls()).isEqualTo(100);
            System.out.printf("rate limit under concurrency: 200 sent, %d admitted, %d refused, upstream saw %d%n",
                    statuses.stream().filter(c -> c == 200).count(), statuses.stream().filter(c -> c == 429).count(), upstream.calls());
        }
    }
}
