package io.bricksllm.limits.e2e;

import static io.bricksllm.limits.e2e.Setup.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code maxConcurrentRequests} (issue 19.2) caps requests in flight at the upstream — the mock counts them — on one
 * instance and across three; refusals are 429s with {@code Retry-After}; slots come back when requests end, including
 * when a client gives up mid-stream.
 */
class ConcurrencyLimitE2ETest {
    static final int CAP = 5;

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 3})
    void aKeyCappedAtFiveNeverHasSixInFlightAndGetsItsSlotsBack(int instances) {
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(instances, Map.of(), Clock.systemUTC())) {
            SlowUpstream.install(upstream);
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String key = Setup.key(d.admin(), setting, "\"maxConcurrentRequests\":" + CAP)[0];
            d.awaitKey(key, null);

            capHolds(d, upstream, List.of(key), "key concurrent request limit exceeded");
        }
    }

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 3})
    void aTeamCappedAtFiveNeverHasSixInFlightOverItsKeys(int instances) {
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(instances, Map.of(), Clock.systemUTC())) {
            SlowUpstream.install(upstream);
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String team = Setup.team(d.admin(), "team-concurrency", "\"maxConcurrentRequests\":" + CAP);
            List<String> keys = List.of(Setup.key(d.admin(), setting, "\"teamId\":\"" + team + "\"")[0],
                    Setup.key(d.admin(), setting, "\"teamId\":\"" + team + "\"")[0]);
            for (String k : keys) d.awaitKeyInTeam(k, team);

            capHolds(d, upstream, keys, "team concurrent request limit exceeded");
        }
    }

    /** 20 slow requests at once: 5 reach the upstream together, never 6; then 5 at once are admitted again. */
    private static void capHolds(Deployment d, MockUpstream upstream, List<String> keys, String message) {
        Burst burst = new Burst(d.proxyUrls(), CHAT);
        List<Burst.Answer> answers = burst.send(Burst.roundRobin(20, d.size(), keys, Setup.chat("slow")));

        List<Burst.Answer> admitted = Burst.withStatus(answers, 200);
        List<Burst.Answer> refused = Burst.withStatus(answers, 429);
        System.out.printf("concurrency cap %d on %d instance(s): 20 sent, %d admitted, %d refused, max in flight at upstream %d%n",
                CAP, d.size(), admitted.size(), refused.size(), upstream.maxInFlight());
        assertThat(admitted.size() + refused.size()).isEqualTo(20);
        assertThat(upstream.maxInFlight()).as("never more than the cap in flight, and the cap is used").isEqualTo(CAP);
        assertThat(upstream.calls()).isEqualTo(admitted.size());
        assertThat(refused).hasSizeGreaterThanOrEqualTo(10).allSatisfy(a -> {
            assertThat(a.body()).contains(message);
            assertThat(Setup.retryAfterSeconds(a)).isBetween(1L, 10L);
        });

        // every slot came back when the requests ended: five at once are admitted (slots are released as answers end,
        // so the first try may still meet one being released)
        upstream.reset();
        Poll.until(Duration.ofSeconds(20), "five slots free again", () -> Burst.withStatus(
                burst.send(Burst.roundRobin(CAP, d.size(), keys, Setup.chat("slow"))), 200).size() == CAP);
        assertThat(upstream.maxInFlight()).isLessThanOrEqualTo(CAP);
    }

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 3})
    void aClientThatCancelsMidStreamFreesItsSlot(int instances) {
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(instances, Map.of(), Clock.systemUTC())) {
            SlowUpstream.install(upstream);
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String key = Setup.key(d.admin(), setting, "\"maxConcurrentRequests\":1")[0];
            d.awaitKey(key, null);
            Burst burst = new Burst(d.proxyUrls(), CHAT);
            int other = d.size() - 1;

            OpenStream stream = OpenStream.open(d.instance(0).proxyUrl(), CHAT, key, Setup.stream("hi", 500));
            try {
                assertThat(stream.status).as(stream.head).isEqualTo(200);
                Burst.Answer held = burst.one(other, key, Setup.chat("hi"));
                assertThat(held.status()).as("the stream holds the only slot: " + held.body()).isEqualTo(429);
                assertThat(held.body()).contains("concurrent request limit exceeded");
                Setup.retryAfterSeconds(held);
            } finally {
                stream.close(); // the client gives up 30 s before the stream would end
            }
            // well before the stream's end and the default 60 s lease: released on the cancel itself
            Duration took = Poll.until(Duration.ofSeconds(10), "slot free after the client cancelled",
                    () -> burst.one(other, key, Setup.chat("hi")).status() == 200);
            System.out.printf("cancel on %d instance(s): slot back %d ms after the client closed; upstream in flight now %d%n",
                    instances, took.toMillis(), upstream.inFlight());
        }
    }
}
