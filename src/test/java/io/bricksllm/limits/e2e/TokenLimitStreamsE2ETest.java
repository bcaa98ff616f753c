package io.bricksllm.limits.e2e;

import static io.bricksllm.limits.e2e.Setup.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A token limit counts a stream before it ends (issue 19.2): each admitted stream reserves its prompt estimate plus
 * its {@code max_tokens}, so 50 overlapping streams on a 20,000-token-a-minute key cannot pass the limit by more than
 * one request's tokens (the README's bound when the real usage stays within the reservation, as here).
 */
class TokenLimitStreamsE2ETest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T12:00:30Z"), ZoneOffset.UTC);
    static final long LIMIT = 20_000;
    static final int MAX_TOKENS = 1_000;
    // what the mock reports in its final usage chunk: within the reservation (prompt estimate of "hi" + max_tokens)
    static final long PROMPT = 5;
    static final long COMPLETION = 990;
    static final long PER_REQUEST = PROMPT + COMPLETION;

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 3})
    void fiftyConcurrentStreamsStayWithinTheLimitPlusOneRequest(int instances) {
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(instances, Map.of(), CLOCK)) {
            // 12 events 100 ms apart: every stream lasts over a second, so the 50 overlap
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.sse(Fixtures.chatStream(Setup.MODEL,
                    Collections.nCopies(10, "word "), PROMPT, COMPLETION, true)).withGap(Duration.ofMillis(100)));
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String key = Setup.key(d.admin(), setting, "\"tokenLimitOverTime\":" + LIMIT + ",\"tokenLimitUnit\":\"m\"")[0];
            d.awaitKey(key, null);

            List<Burst.Answer> answers = new Burst(d.proxyUrls(), CHAT)
                    .send(Burst.roundRobin(50, instances, List.of(key), Setup.stream("hi", MAX_TOKENS)));

            List<Burst.Answer> admitted = Burst.withStatus(answers, 200);
            List<Burst.Answer> refused = Burst.withStatus(answers, 429);
            long total = admitted.size() * PER_REQUEST;
            System.out.printf("token limit on %d instance(s): 50 streams, %d admitted (%d tokens, limit %d, bound %d), %d refused, max in flight at upstream %d%n",
                    instances, admitted.size(), total, LIMIT, LIMIT + PER_REQUEST, refused.size(), upstream.maxInFlight());
            assertThat(admitted.size() + refused.size()).isEqualTo(50);
            assertThat(upstream.calls()).isEqualTo(admitted.size());
            assertThat(admitted).allSatisfy(a -> assertThat(a.body()).contains("[DONE]"));
            assertThat(upstream.maxInFlight()).as("the streams overlapped").isGreaterThan(1);
            assertThat(total).isLessThanOrEqualTo(LIMIT + PER_REQUEST);
            // not refusing far too early either: a reservation is the prompt estimate plus max_tokens, not a multiple
            assertThat(total).isGreaterThan(LIMIT - 3L * MAX_TOKENS);
            assertThat(refused).isNotEmpty().allSatisfy(a -> {
                assertThat(a.body()).contains("token limit exceeded");
                assertThat(Setup.retryAfterSeconds(a)).isBetween(1L, 30L);
            });
        }
    }
}
