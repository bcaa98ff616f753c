package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gateway 429s say when to come back (issue 15.4): {@code Retry-After} in whole seconds until the rate window
 * resets or the budget period ends; none for a total budget. The gateway's clock is fixed at 23:58:56.250 UTC, so
 * a minute window resets in 3.75 s (→ 4), an hour or a day in 63.75 s (→ 64).
 */
class RetryAfterTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final Instant NOW = Instant.parse("2026-01-01T23:58:56.250Z");
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String setting;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        // 1,000 prompt tokens of gpt-4o-mini: $0.00015, over the $0.0001 budgets below
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1000, 1)));
        gw = TestGateway.start(Map.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        proxy = new ProxyClient(gw.proxyUrl());
        setting = gw.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    /** A key with {@code extra} limits; returns {secret, keyId}. */
    static String[] key(String extra) {
        String secret = "retry-after-" + UUID.randomUUID();
        String id = gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + setting + "\"]" + extra + "}")
                .get("keyId").asText();
        return new String[] {secret, id};
    }

    static String chat(String user) {
        return "{\"model\":\"gpt-4o-mini\",\"user\":\"" + user + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static String retryAfterOfTheSecond(String secret, String body) {
        assertThat(proxy.postJson(CHAT, secret, body).status()).isEqualTo(200);
        ProxyClient.Reply refused = proxy.postJson(CHAT, secret, body);
        assertThat(refused.status()).as(refused.text()).isEqualTo(429);
        return refused.headers().firstValue("Retry-After").orElse(null);
    }

    @Test
    void theOfficialSdkWaitsRetryAfterAndEachAttemptIsOneRefusalEvent() {
        String[] k = key(",\"rateLimitOverTime\":1,\"rateLimitUnit\":\"m\"");
        OpenAIClient sdk = OpenAIOkHttpClient.builder().apiKey(k[0]).baseUrl(gw.proxyUrl() + "/api/providers/openai/v1").maxRetries(2).build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build();
        sdk.chat().completions().create(params); // takes the window's one request, and warms the SDK up outside the timing
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> sdk.chat().completions().create(params)).isInstanceOf(RateLimitException.class);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // two waits of Retry-After: 4 (without the header the SDK's own backoff totals about 3 s at most)
        assertThat(ms).isGreaterThanOrEqualTo(8000);
        assertThat(Events.awaitMatching(gw.admin, k[1], e -> e.get("status").asInt() == 429, 3)).hasSize(3);
        assertThat(Events.fetch(gw.admin, k[1])).hasSize(4); // the admitted request and three refused attempts
    }

    @Test
    void aRateLimitedKeyIsToldWhenItsWindowResets() {
        String[] k = key(",\"rateLimitOverTime\":1,\"rateLimitUnit\":\"m\"");
        assertThat(retryAfterOfTheSecond(k[0], chat(""))).isEqualTo("4");
    }

    @Test
    void aKeyOverItsPeriodBudgetIsToldWhenThePeriodEnds() {
        String[] k = key(",\"costLimitInUsdOverTime\":0.0001,\"costLimitInUsdUnit\":\"d\"");
        assertThat(retryAfterOfTheSecond(k[0], chat(""))).isEqualTo("64");
    }

    @Test
    void aKeyOverItsTotalBudgetGetsNoRetryAfter() {
        String[] k = key(",\"costLimitInUsd\":0.0001");
        assertThat(retryAfterOfTheSecond(k[0], chat(""))).isNull();
    }

    @Test
    void perUserLimitsSayWhenToComeBackToo() {
        String[] k = key("");
        String rated = "u-rate-" + UUID.randomUUID();
        assertThat(gw.admin.post("/api/users", "{\"name\":\"u\",\"userId\":\"" + rated
                + "\",\"rateLimitOverTime\":1,\"rateLimitUnit\":\"h\"}").status()).isEqualTo(200);
        assertThat(retryAfterOfTheSecond(k[0], chat(rated))).isEqualTo("64");

        String spent = "u-budget-" + UUID.randomUUID();
        assertThat(gw.admin.post("/api/users", "{\"name\":\"u\",\"userId\":\"" + spent
                + "\",\"costLimitInUsdOverTime\":0.0001,\"costLimitInUsdUnit\":\"m\"}").status()).isEqualTo(200);
        assertThat(retryAfterOfTheSecond(k[0], chat(spent))).isEqualTo("4");
    }
}
