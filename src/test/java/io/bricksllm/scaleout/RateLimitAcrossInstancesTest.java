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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One rate limit shared by every instance: Redis counts admissions for all of them, one Lua call each. */
class RateLimitAcrossInstancesTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @ParameterizedTest(name = "{0} instances")
    @ValueSource(ints = {2, 3})
    void threeHundredConcurrentRequestsSpreadOverTheInstancesOnAHundredPerMinuteKeyAdmitExactlyAHundred(int instances) {
        // one fixed clock for all instances: every request falls in the same minute window
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T12:00:30Z"), ZoneOffset.UTC);
        try (TestRedis redis = TestRedis.start(); MockUpstream upstream = new MockUpstream();
             ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port())) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1)));
            List<TestGateway> gws = cluster.start(instances, Map.of("REDIS_READ_TIME_OUT", "10s"), clock);
            TestGateway a = gws.get(0);
            String s = a.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String keyId = a.admin.createKey("{\"name\":\"k\",\"key\":\"shared-burst\",\"settingIds\":[\"" + s
                    + "\"],\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\"}").get("keyId").asText();
            for (TestGateway gw : gws) {
                Poll.until(Duration.ofSeconds(5), "key known to every instance",
                        () -> gw.gateway().liveConfig().current().keysById().containsKey(keyId));
            }

            List<Spread.Answer> answers = Spread.over(gws).concurrentPosts(300, CHAT, "shared-burst", BODY);

            long admitted = Spread.count(answers, 200);
            long refused = Spread.count(answers, 429);
            String perInstance = java.util.stream.IntStream.range(0, instances)
                    .mapToObj(i -> String.valueOf(Spread.count(answers, i, 200))).collect(java.util.stream.Collectors.joining("/"));
            System.out.printf("rate limit across %d instances: 300 sent round-robin, %d admitted (%s per instance), %d refused, upstream saw %d%n",
                    instances, admitted, perInstance, refused, upstream.calls());
            assertThat(admitted).isEqualTo(100);
            assertThat(refused).isEqualTo(200);
            assertThat(upstream.calls()).isEqualTo(100);
            assertThat(answers.stream().filter(x -> x.status() == 429)).allMatch(x -> x.body().contains("\"error\""));
        }
    }
}
