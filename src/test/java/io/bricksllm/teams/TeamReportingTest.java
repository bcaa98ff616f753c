package io.bricksllm.teams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19.8 end to end: a request made with a key in a team records an event carrying the team, team reporting sums
 * the team's events, and the {@code teamIds} filter of the event endpoints selects them.
 */
class TeamReportingTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void eventsCarryTheKeysTeamAndTeamReportingSumsThem() {
        try (MockUpstream upstream = new MockUpstream(); TestGateway gw = TestGateway.start()) {
            upstream.on("POST", "/v1/chat/completions",
                    MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1000, 500)));
            String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String team = gw.admin.post("/api/teams", "{\"name\":\"search\"}").json().get("id").asText();
            String other = gw.admin.post("/api/teams", "{\"name\":\"ads\"}").json().get("id").asText();
            String inTeam = key(gw, s, "team-a", team);
            String inTeam2 = key(gw, s, "team-b", team);
            String inOther = key(gw, s, "other-a", other);
            String alone = key(gw, s, "alone", "");
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            for (String secret : List.of("team-a", "team-a", "team-b", "other-a", "alone")) {
                assertThat(proxy.postJson(CHAT, secret, BODY).status()).isEqualTo(200);
            }

            JsonNode e = Events.single(gw.admin, inTeam2);
            assertThat(e.get("teamId").asText()).isEqualTo(team);
            assertThat(Events.await(gw.admin, inTeam, 2)).allSatisfy(x -> assertThat(x.get("teamId").asText()).isEqualTo(team));
            assertThat(Events.single(gw.admin, inOther).get("teamId").asText()).isEqualTo(other);
            assertThat(Events.single(gw.admin, alone).has("teamId")).as("a key in no team: no teamId").isFalse();

            double oneCost = e.get("cost_in_usd").asDouble();
            assertThat(oneCost).as("gpt-4o-mini is priced").isPositive();
            long teamMicros = gw.admin.get("/api/reporting/teams/" + team).json().get("costInMicroDollars").asLong();
            long keyMicros = 0;
            for (String k : List.of(inTeam, inTeam2)) keyMicros += gw.admin.get("/api/reporting/keys/" + k).json().get("costInMicroDollars").asLong();
            assertThat(teamMicros).as("the team's spend is its keys' spend").isEqualTo(Math.round(3 * oneCost * 1_000_000))
                    .isBetween(keyMicros - 1, keyMicros + 1);
            JsonNode otherSpend = gw.admin.get("/api/reporting/teams/" + other).json();
            assertThat(otherSpend.get("id").asText()).isEqualTo(other);
            assertThat(otherSpend.get("costInMicroDollars").asLong()).isEqualTo(Math.round(oneCost * 1_000_000));
            assertThat(gw.admin.get("/api/reporting/teams/no-such-team").status()).isEqualTo(404);

            // teamIds filter, v1 and v2
            long end = System.currentTimeMillis() / 1000 + 3600;
            assertThat(keyIds(gw.admin.get("/api/events?teamIds=" + team + "&start=0&end=" + end).json()))
                    .containsExactlyInAnyOrder(inTeam, inTeam, inTeam2);
            assertThat(keyIds(gw.admin.get("/api/events?teamIds=" + team + "&teamIds=" + other + "&start=0&end=" + end).json()))
                    .containsExactlyInAnyOrder(inTeam, inTeam, inTeam2, inOther);
            JsonNode v2 = gw.admin.post("/api/v2/events", "{\"start\":1,\"end\":" + end + ",\"teamIds\":[\"" + other
                    + "\"],\"returnCount\":true}").json();
            assertThat(keyIds(v2.get("events"))).containsExactly(inOther);
            assertThat(v2.get("count").asLong()).isEqualTo(1);
            assertThat(gw.admin.post("/api/v2/events", "{\"start\":1,\"end\":" + end + ",\"teamIds\":[\"\"]}").json()
                    .get("detail").asText()).isEqualTo("fields [teamIds] are invalid");

            // a key moved to another team later: its past events stay with the team it was in
            gw.admin.patch("/api/key-management/keys/" + inTeam2, "{\"teamId\":\"" + other + "\"}");
            Poll.until(Duration.ofSeconds(10), "moved key", () -> proxy.postJson(CHAT, "team-b", BODY).status() == 200);
            assertThat(Events.await(gw.admin, inTeam2, 2).stream().map(x -> x.get("teamId").asText()).toList())
                    .containsExactlyInAnyOrder(team, other);
            assertThat(gw.admin.get("/api/reporting/teams/" + team).json().get("costInMicroDollars").asLong()).isEqualTo(teamMicros);
        }
    }

    private static String key(TestGateway gw, String setting, String secret, String team) {
        return gw.admin.createKey("{\"name\":\"" + secret + "\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + setting + "\"]"
                + (team.isEmpty() ? "" : ",\"teamId\":\"" + team + "\"") + "}").get("keyId").asText();
    }

    private static List<String> keyIds(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("key_id").asText()));
        return out;
    }
}
