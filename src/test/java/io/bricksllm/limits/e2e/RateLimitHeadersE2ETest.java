package io.bricksllm.limits.e2e;

import static io.bricksllm.limits.e2e.Setup.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenAI's rate-limit headers on every proxied answer, of the tightest limit that applies (issue 19.4), and
 * {@code Retry-After} on the 429s of the new limits (team, tokens, concurrency). The clock is fixed at 12:00:30, so
 * minute windows reset in 30 s.
 */
class RateLimitHeadersE2ETest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T12:00:30Z"), ZoneOffset.UTC);

    static void install(MockUpstream upstream) {
        MockUpstream.Reply small = MockUpstream.Reply.json(200, Fixtures.chatCompletion(Setup.MODEL, "ok", 5, 1));
        MockUpstream.Reply big = MockUpstream.Reply.json(200, Fixtures.chatCompletion(Setup.MODEL, "ok", 5, 600));
        upstream.on("POST", "/v1/chat/completions", r -> {
            String body = r.bodyText();
            if (body.contains("slow")) return small.withDelay(Duration.ofSeconds(2));
            return body.contains("big") ? big : small;
        });
    }

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 3})
    void answersCarryTheTightestLimitsNumbers(int instances) {
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(instances, Map.of(), CLOCK)) {
            install(upstream);
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String team = Setup.team(d.admin(), "team-headers",
                    "\"rateLimitOverTime\":10,\"rateLimitUnit\":\"m\",\"tokenLimitOverTime\":5000,\"tokenLimitUnit\":\"m\"");
            String key = Setup.key(d.admin(), setting, "\"teamId\":\"" + team
                    + "\",\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\",\"tokenLimitOverTime\":100000,\"tokenLimitUnit\":\"m\"")[0];
            String alone = Setup.key(d.admin(), setting, "\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\","
                    + "\"tokenLimitOverTime\":100000,\"tokenLimitUnit\":\"m\"")[0];
            d.awaitKeyInTeam(key, team);
            d.awaitKey(alone, null);
            Burst burst = new Burst(d.proxyUrls(), CHAT);

            Burst.Answer first = burst.one(0, key, Setup.chat("hi", 100));
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.header("x-ratelimit-limit-requests")).isEqualTo("10"); // the team's, not the key's 100
            assertThat(first.header("x-ratelimit-remaining-requests")).isEqualTo("9");
            assertThat(resetOf(first, "x-ratelimit-reset-requests")).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
            assertThat(first.header("x-ratelimit-limit-tokens")).isEqualTo("5000");
            // this request's tokens are in: its reservation (prompt estimate + max_tokens 100) or its real 6
            assertThat(Long.parseLong(first.header("x-ratelimit-remaining-tokens"))).isBetween(5000L - 300, 5000L - 1);
            assertThat(resetOf(first, "x-ratelimit-reset-tokens")).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));

            Burst.Answer second = burst.one(d.size() - 1, key, Setup.chat("hi", 100));
            assertThat(second.header("x-ratelimit-remaining-requests")).as("counted across instances").isEqualTo("8");

            Burst.Answer own = burst.one(0, alone, Setup.chat("hi", 100));
            assertThat(own.header("x-ratelimit-limit-requests")).as("a key in no team: its own limit").isEqualTo("100");
            assertThat(own.header("x-ratelimit-remaining-requests")).isEqualTo("99");
            assertThat(own.header("x-ratelimit-limit-tokens")).isEqualTo("100000");

            // the team's window runs out: 429 naming the team, with the seconds to 12:01:00
            for (int i = 0; i < 8; i++) assertThat(burst.one(i % d.size(), key, Setup.chat("hi", 100)).status()).isEqualTo(200);
            Burst.Answer refused = burst.one(0, key, Setup.chat("hi", 100));
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).contains("team rate limit exceeded");
            assertThat(refused.header("Retry-After")).isEqualTo("30");
        }
    }

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 3})
    void tokenAndConcurrencyRefusalsSayWhenToComeBack(int instances) {
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(instances, Map.of(), CLOCK)) {
            install(upstream);
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String tokens = Setup.key(d.admin(), setting, "\"tokenLimitOverTime\":500,\"tokenLimitUnit\":\"m\"")[0];
            String single = Setup.key(d.admin(), setting, "\"maxConcurrentRequests\":1")[0];
            d.awaitKey(tokens, null);
            d.awaitKey(single, null);
            Burst burst = new Burst(d.proxyUrls(), CHAT);

            // alone, a request needs only the limit not to be reached; its real 605 tokens then pass the 500
            assertThat(burst.one(0, tokens, Setup.chat("big", 1000)).status()).isEqualTo(200);
            Burst.Answer[] refusedTokens = new Burst.Answer[1];
            Poll.until(Duration.ofSeconds(5), "token refusal once the first request settled", () -> {
                Burst.Answer a = burst.one(d.size() - 1, tokens, Setup.chat("hi", 10));
                refusedTokens[0] = a;
                return a.status() == 429;
            });
            assertThat(refusedTokens[0].body()).contains("key token limit exceeded");
            assertThat(refusedTokens[0].header("Retry-After")).isEqualTo("30");

            CompletableFuture<Burst.Answer> holder = CompletableFuture.supplyAsync(() -> burst.one(0, single, Setup.chat("slow")));
            Poll.until(Duration.ofSeconds(5), "the slow request holds the slot", () -> upstream.inFlight() == 1);
            Burst.Answer busy = burst.one(d.size() - 1, single, Setup.chat("hi"));
            assertThat(busy.status()).as(busy.body()).isEqualTo(429);
            assertThat(busy.body()).contains("key concurrent request limit exceeded");
            assertThat(Setup.retryAfterSeconds(busy)).isBetween(1L, 10L);
            assertThat(holder.join().status()).isEqualTo(200);
        }
    }

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+(?:\\.\\d+)?)s)?(?:(\\d+)ms)?");

    /** An OpenAI reset header ("6m0s", "30s", "1.5s", "120ms") as a duration; fails when absent or malformed. */
    static Duration resetOf(Burst.Answer a, String header) {
        String v = a.header(header);
        assertThat(v).as(header).isNotNull().isNotEmpty();
        Matcher m = DURATION.matcher(v);
        assertThat(m.matches()).as("%s: %s is an OpenAI duration", header, v).isTrue();
        long ms = 0;
        if (m.group(1) != null) ms += Long.parseLong(m.group(1)) * 3_600_000;
        if (m.group(2) != null) ms += Long.parseLong(m.group(2)) * 60_000;
        if (m.group(3) != null) ms += Math.round(Double.parseDouble(m.group(3)) * 1000);
        if (m.group(4) != null) ms += Long.parseLong(m.group(4));
        return Duration.ofMillis(ms);
    }
}
