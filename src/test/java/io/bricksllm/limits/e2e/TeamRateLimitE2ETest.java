package io.bricksllm.limits.e2e;

import static io.bricksllm.limits.e2e.Setup.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A team's request limit is one counter for all its keys on all instances (issue 19.1, 19.2, 19.9): 300 requests at
 * once over three keys of a 100-a-minute team admit exactly 100, the others are 429s that name the team.
 */
class TeamRateLimitE2ETest {
    // one fixed clock for every instance: all 300 requests fall in the same minute window, none across a boundary
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T12:00:30Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 3})
    void threeHundredRequestsOverThreeKeysOfAHundredPerMinuteTeamAdmitExactlyAHundred(int instances) {
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(instances, Map.of(), CLOCK)) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion(Setup.MODEL, "ok", 5, 1)));
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String team = Setup.team(d.admin(), "team-rate", "\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\"");
            List<String> keys = List.of(
                    Setup.key(d.admin(), setting, "\"teamId\":\"" + team + "\"")[0],
                    Setup.key(d.admin(), setting, "\"teamId\":\"" + team + "\"")[0],
                    Setup.key(d.admin(), setting, "\"teamId\":\"" + team + "\"")[0]);
            for (String k : keys) d.awaitKeyInTeam(k, team);

            List<Burst.Answer> answers = new Burst(d.proxyUrls(), CHAT).send(Burst.roundRobin(300, instances, keys, Setup.chat("hi")));

            List<Burst.Answer> admitted = Burst.withStatus(answers, 200);
            List<Burst.Answer> refused = Burst.withStatus(answers, 429);
            System.out.printf("team rate limit on %d instance(s): 300 sent, %d admitted, %d refused, upstream saw %d%n",
                    instances, admitted.size(), refused.size(), upstream.calls());
            assertThat(admitted).hasSize(100);
            assertThat(refused).hasSize(200);
            assertThat(upstream.calls()).isEqualTo(100);
            assertThat(refused).allSatisfy(a -> {
                assertThat(a.body()).contains("team rate limit exceeded");
                assertThat(Setup.retryAfterSeconds(a)).isEqualTo(30); // the minute window resets at 12:01:00
            });
            // each key alone would have admitted everything: only the team's counter refused
            for (String k : keys) assertThat(admitted.stream().filter(a -> a.call().key().equals(k))).isNotEmpty();
        }
    }
}
