package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.GoDuration;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's {@code x-ratelimit-*-requests} headers for the key's own request limit (issue 19.4), from the count the
 * rate-limit stage took at admission. The clock is fixed at 12:00:30.250 UTC: the minute window resets in 29.75 s.
 */
class RateLimitHeadersTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String setting;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        // the provider's own rate-limit headers (of the gateway's upstream account), as OpenAI sends them
        upstream.on("POST", "/v1/chat/completions", new MockUpstream.Reply(200, Map.of("Content-Type", "application/json",
                "x-ratelimit-limit-requests", "10000", "x-ratelimit-remaining-requests", "9999", "x-ratelimit-reset-requests", "6ms"),
                Buffer.buffer(Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1)), null, Duration.ZERO, Duration.ZERO, false, -1));
        gw = TestGateway.start(Map.of(), Clock.fixed(Instant.parse("2026-01-01T12:00:30.250Z"), ZoneOffset.UTC));
        proxy = new ProxyClient(gw.proxyUrl());
        setting = gw.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    static String key(String extra) {
        String secret = "rl-headers-" + UUID.randomUUID();
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + setting + "\"]" + extra + "}");
        return secret;
    }

    static String only(ProxyClient.Reply r, String header) {
        assertThat(r.headers().allValues(header)).as(header).hasSize(1);
        return r.headers().firstValue(header).orElseThrow();
    }

    @Test
    void eachAnswerSaysTheKeysLimitWhatRemainsAndWhenTheWindowResetsInsteadOfTheProvidersAccount() {
        String secret = key(",\"rateLimitOverTime\":3,\"rateLimitUnit\":\"m\"");
        for (int remaining = 2; remaining >= 0; remaining--) {
            ProxyClient.Reply r = proxy.postJson(CHAT, secret, BODY);
            assertThat(r.status()).isEqualTo(200);
            assertThat(only(r, "x-ratelimit-limit-requests")).isEqualTo("3");
            assertThat(only(r, "x-ratelimit-remaining-requests")).isEqualTo(String.valueOf(remaining));
            Duration reset = GoDuration.parse(only(r, "x-ratelimit-reset-requests"));
            assertThat(reset).isBetween(Duration.ofSeconds(25), Duration.ofMillis(29_750)); // less the time the answer took
        }
        ProxyClient.Reply refused = proxy.postJson(CHAT, secret, BODY);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(only(refused, "x-ratelimit-limit-requests")).isEqualTo("3");
        assertThat(only(refused, "x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThat(GoDuration.parse(only(refused, "x-ratelimit-reset-requests"))).isPositive();
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
    }

    @Test
    void aRefusalAfterAdmissionCarriesThemToo() {
        // $0.00000135 a request: the second finds the $0.000001 budget spent
        String secret = key(",\"rateLimitOverTime\":10,\"rateLimitUnit\":\"h\",\"costLimitInUsd\":0.000001");
        ProxyClient.Reply first = proxy.postJson(CHAT, secret, BODY);
        assertThat(first.status()).isEqualTo(200);
        assertThat(only(first, "x-ratelimit-remaining-requests")).isEqualTo("9");
        ProxyClient.Reply overBudget = proxy.postJson(CHAT, secret, BODY);
        assertThat(overBudget.status()).as(overBudget.text()).isEqualTo(429);
        assertThat(only(overBudget, "x-ratelimit-limit-requests")).isEqualTo("10");
        assertThat(GoDuration.parse(only(overBudget, "x-ratelimit-reset-requests"))).isGreaterThan(Duration.ofMinutes(59));
    }

    @Test
    void aKeyWithoutARequestLimitPassesTheProvidersHeadersOnUntouched() {
        ProxyClient.Reply r = proxy.postJson(CHAT, key(""), BODY);
        assertThat(r.status()).isEqualTo(200);
        assertThat(only(r, "x-ratelimit-limit-requests")).isEqualTo("10000");
        assertThat(only(r, "x-ratelimit-remaining-requests")).isEqualTo("9999");
        assertThat(only(r, "x-ratelimit-reset-requests")).isEqualTo("6ms");
    }
}
