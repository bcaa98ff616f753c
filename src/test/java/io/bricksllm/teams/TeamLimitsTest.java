package io.bricksllm.teams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
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
 * Issue 19.1–19.4 on one embedded instance: a team's limits bind all its keys together, a refusal names its level and
 * takes nothing at the other levels, token limits reserve and settle, the headers show the tightest limit, and a
 * team's allowed models and providers and its budget's unpriced-model rule apply. The clock is fixed at 12:00:30 UTC:
 * every request falls in one minute window, which resets 30 s later.
 */
class TeamLimitsTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final Instant NOW = Instant.parse("2026-01-01T12:00:30Z");
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String setting;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        // 1,000 prompt + 10 completion tokens of gpt-4o-mini: $0.000156 a request
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1000, 10)));
        gw = TestGateway.start(Map.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        proxy = new ProxyClient(gw.proxyUrl());
        setting = gw.admin.createSetting("openai", Map.of("apikey", "sk-upstream", "url", upstream.url("/v1")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    static String team(String json) {
        AdminReply r = new AdminReply(gw.admin.post("/api/teams", json));
        assertThat(r.status).as(r.body).isEqualTo(200);
        return r.json.get("id").asText();
    }

    record AdminReply(int status, String body, JsonNode json) {
        AdminReply(io.bricksllm.testing.AdminClient.Reply r) {
            this(r.status(), r.body(), r.status() == 200 ? Json.read(r.body(), JsonNode.class) : null);
        }
    }

    /** A key in {@code teamId} with {@code extra} fields; returns {secret, keyId}. */
    static String[] key(String teamId, String extra) {
        String secret = "team-limits-" + UUID.randomUUID();
        JsonNode created = gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + setting + "\"],\"teamId\":\""
                + teamId + "\"" + extra + "}");
        return new String[] {secret, created.get("keyId").asText()};
    }

    static JsonNode view(String secret) {
        ProxyClient.Reply r = proxy.get("/v1/key", secret);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return Json.read(r.text(), JsonNode.class);
    }

    @Test
    void aTeamsRequestLimitBindsAllItsKeysTogetherAndItsRefusalTakesNothingFromTheKey() {
        String team = team("{\"name\":\"search\",\"rateLimitOverTime\":3,\"rateLimitUnit\":\"m\"}");
        String[] a = key(team, ",\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\"");
        String[] b = key(team, "");
        assertThat(proxy.postJson(CHAT, a[0], BODY).status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, b[0], BODY).status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, a[0], BODY).status()).isEqualTo(200);

        ProxyClient.Reply refused = proxy.postJson(CHAT, a[0], BODY);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.text()).contains("team rate limit exceeded");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
        ProxyClient.Reply refusedB = proxy.postJson(CHAT, b[0], BODY);
        assertThat(refusedB.status()).isEqualTo(429);

        JsonNode v = view(a[0]);
        assertThat(v.get("usage").get("requests").get("used").asLong()).as("the team's refusal took no slot of the key").isEqualTo(2);
        assertThat(v.get("team").get("id").asText()).isEqualTo(team);
        assertThat(v.get("team").get("name").asText()).isEqualTo("search");
        JsonNode teamRequests = v.get("team").get("usage").get("requests");
        assertThat(teamRequests.get("limit").asLong()).isEqualTo(3);
        assertThat(teamRequests.get("used").asLong()).isEqualTo(3);
        assertThat(teamRequests.get("remaining").asLong()).isZero();
    }

    @Test
    void theHeadersShowTheTightestLimitOfAllLevels() {
        String team = team("{\"name\":\"tight\",\"rateLimitOverTime\":10,\"rateLimitUnit\":\"m\"}");
        String[] k = key(team, ",\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\"");
        ProxyClient.Reply r = proxy.postJson(CHAT, k[0], BODY);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).hasValue("10");
        assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("9");
        assertThat(r.headers().firstValue("x-ratelimit-reset-requests")).hasValueSatisfying(v -> assertThat(v).endsWith("s"));
        assertThat(r.headers().firstValue("x-ratelimit-limit-tokens")).as("no token limit, no token headers").isEmpty();
    }

    @Test
    void aTeamBudgetRefusesWithItsNameAndLeavesTheKeysCountersAlone() {
        // $0.0002: the first request ($0.000156) is admitted on an idle budget, the second while spend is below the limit
        String team = team("{\"name\":\"budgeted\",\"costLimitInUsd\":0.0002}");
        String[] k = key(team, ",\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\"");
        assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(200);
        Events.await(gw.admin, k[1], 1);
        assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(200);
        Events.await(gw.admin, k[1], 2);
        ProxyClient.Reply refused = proxy.postJson(CHAT, k[0], BODY);
        assertThat(refused.status()).as(refused.text()).isEqualTo(429);
        assertThat(refused.text()).contains("team budget exceeded");
        assertThat(refused.headers().firstValue("Retry-After")).as("a total budget never resets").isEmpty();
        JsonNode v = view(k[0]);
        assertThat(v.get("usage").get("requests").get("used").asLong()).as("the refused request took no key slot").isEqualTo(2);
        assertThat(v.get("team").get("usage").get("costInUsd").get("spentInUsd").asDouble()).isGreaterThan(0.0003);
    }

    @Test
    void aTokenLimitReservesThePromptAndOutputCapAndSettlesToTheReportedUsage() {
        String[] k = key("", ",\"tokenLimitOverTime\":3000,\"tokenLimitUnit\":\"m\"");
        String capped = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        ProxyClient.Reply first = proxy.postJson(CHAT, k[0], capped);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("3000");
        long remainingAfterReserve = Long.parseLong(first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        // the reservation: the body's tokens (~20) + max_tokens 1000
        assertThat(3000 - remainingAfterReserve).isBetween(1001L, 1100L);
        JsonNode tokens = view(k[0]).get("usage").get("tokens");
        assertThat(tokens.get("used").asLong()).as("settled to the reported 1,000 + 10").isEqualTo(1010);
        assertThat(proxy.postJson(CHAT, k[0], capped).status()).isEqualTo(200);
        // 2,020 used: another reservation does not fit, but an idle window below its limit admits one request
        assertThat(proxy.postJson(CHAT, k[0], capped).status()).isEqualTo(200);
        assertThat(view(k[0]).get("usage").get("tokens").get("used").asLong()).isEqualTo(3030);
        ProxyClient.Reply refused = proxy.postJson(CHAT, k[0], capped);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.text()).contains("key token limit exceeded");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(refused.headers().firstValue("x-ratelimit-remaining-tokens")).hasValue("0");
    }

    @Test
    void aTeamsAllowedModelsAndProvidersBindItsKeys() {
        String models = team("{\"name\":\"models\",\"allowedModels\":[\"gpt-4o\"]}");
        ProxyClient.Reply r = proxy.postJson(CHAT, key(models, "")[0], BODY);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("gpt-4o-mini").contains("not allowed for team");
        String prefixed = team("{\"name\":\"prefixed\",\"allowedModels\":[\"openai/gpt-4o-mini\"]}");
        assertThat(proxy.postJson(CHAT, key(prefixed, "")[0], BODY).status()).isEqualTo(200);

        String providers = team("{\"name\":\"providers\",\"allowedProviders\":[\"anthropic\"]}");
        ProxyClient.Reply p = proxy.postJson(CHAT, key(providers, "")[0], BODY);
        assertThat(p.status()).isEqualTo(403);
        assertThat(p.text()).contains("provider: openai");
    }

    @Test
    void aTeamWithABudgetMayNotCallAnUnpricedModel() {
        String team = team("{\"name\":\"unpriced\",\"costLimitInUsdOverTime\":5,\"costLimitInUsdUnit\":\"d\"}");
        String body = "{\"model\":\"my-private-finetune\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        ProxyClient.Reply r = proxy.postJson(CHAT, key(team, "")[0], body);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("my-private-finetune").contains("team: " + team);
    }
}
