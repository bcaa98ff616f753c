package io.bricksllm.limits.e2e;

import static io.bricksllm.limits.e2e.Setup.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One atomic admission over team, key and user (issue 19.1): a refusal at one level takes nothing at the others — a
 * request refused by its team's budget leaves the key's request counter as it was, and a request refused by its key's
 * rate limit leaves the team's request counter as it was.
 */
class RefusalTakesNothingE2ETest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T12:00:30Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 3})
    void aTeamBudgetRefusalLeavesTheKeysRequestCounterUnchanged(int instances) {
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(instances, Map.of(), CLOCK)) {
            // 1,000 prompt tokens of gpt-4o-mini: $0.00015, over the team's $0.0001
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion(Setup.MODEL, "ok", 1000, 1)));
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String team = Setup.team(d.admin(), "team-budget", "\"costLimitInUsd\":0.0001");
            String key = Setup.key(d.admin(), setting, "\"teamId\":\"" + team + "\",\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\"")[0];
            d.awaitKeyInTeam(key, team);
            Burst burst = new Burst(d.proxyUrls(), CHAT);
            ProxyClient view = new ProxyClient(d.instance(d.size() - 1).proxyUrl());

            assertThat(burst.one(0, key, Setup.chat("hi")).status()).isEqualTo(200);
            int admitted = 1;
            Burst.Answer refused = null;
            long before = -1;
            double teamSpentBefore = -1;
            // the first request's cost settles as its answer ends: until then the team may still admit
            for (int i = 0; i < 10 && refused == null; i++) {
                before = requestsUsed(view, key);
                teamSpentBefore = teamSpent(view, key);
                Burst.Answer a = burst.one(i % d.size(), key, Setup.chat("hi"));
                if (a.status() == 200) admitted++;
                else refused = a;
            }
            assertThat(refused).as("the team's budget refuses").isNotNull();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).contains("team budget exceeded");
            long after = requestsUsed(view, key);
            System.out.printf("team budget on %d instance(s): %d admitted, key requests used %d before the refusal, %d after; view: %s%n",
                    instances, admitted, before, after, view.get("/v1/key", key).text());
            assertThat(after).as("the refused request took no key request slot").isEqualTo(before).isEqualTo(admitted);
            assertThat(teamSpent(view, key)).as("nor anything of the team's budget").isEqualTo(teamSpentBefore);
            assertThat(upstream.calls()).isEqualTo(admitted);
        }
    }

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 3})
    void aKeyRateRefusalLeavesTheTeamsRequestCounterUnchanged(int instances) {
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(instances, Map.of(), CLOCK)) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion(Setup.MODEL, "ok", 5, 1)));
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String team = Setup.team(d.admin(), "team-requests", "\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\"");
            String limited = Setup.key(d.admin(), setting, "\"teamId\":\"" + team + "\",\"rateLimitOverTime\":2,\"rateLimitUnit\":\"m\"")[0];
            String free = Setup.key(d.admin(), setting, "\"teamId\":\"" + team + "\"")[0];
            d.awaitKeyInTeam(limited, team);
            d.awaitKeyInTeam(free, team);
            Burst burst = new Burst(d.proxyUrls(), CHAT);

            assertThat(burst.one(0, limited, Setup.chat("hi")).status()).isEqualTo(200);
            assertThat(burst.one(d.size() - 1, limited, Setup.chat("hi")).status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                Burst.Answer a = burst.one(i % d.size(), limited, Setup.chat("hi"));
                assertThat(a.status()).isEqualTo(429);
                assertThat(a.body()).contains("too many requests");
            }
            // the free key's only limit is the team's: its headers show the team counter — two requests plus this one
            Burst.Answer other = burst.one(0, free, Setup.chat("hi"));
            assertThat(other.status()).isEqualTo(200);
            assertThat(other.header("x-ratelimit-limit-requests")).isEqualTo("100");
            assertThat(other.header("x-ratelimit-remaining-requests")).as("the key's three refusals took nothing from the team").isEqualTo("97");
            assertThat(upstream.calls()).isEqualTo(3);
        }
    }

    /** The key's team's total spend, as the key's self-service view shows it. */
    private static double teamSpent(ProxyClient view, String key) {
        ProxyClient.Reply r = view.get("/v1/key", key);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return Json.read(r.text(), JsonNode.class).get("team").get("usage").get("costInUsd").get("spentInUsd").asDouble();
    }

    /** The key's requests used in its current window, as its self-service view shows them. */
    private static long requestsUsed(ProxyClient view, String key) {
        ProxyClient.Reply r = view.get("/v1/key", key);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode usage = Json.read(r.text(), JsonNode.class).get("usage");
        return usage.get("requests").get("used").asLong();
    }
}
