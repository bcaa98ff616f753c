package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End-user checks through the whole gateway (BEHAVIOUR.md §5.7, §6.3, DECISIONS.md): each refusal, the tag scope,
 * admission-time rate limits and budgets, revocation at once, and the user id of Anthropic's metadata.user_id.
 */
class UserProxyTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String MESSAGES = "/api/providers/anthropic/v1/messages";
    // Half past a second: a "1ns" ttl measured from createdAt (whole seconds) has passed; every window stays put.
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T12:00:30.500Z"), ZoneOffset.UTC);
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String openai;
    static String anthropic;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start(Map.of(), CLOCK);
        proxy = new ProxyClient(gw.proxyUrl());
        openai = gw.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
        anthropic = gw.admin.createSetting("anthropic", Map.of("apikey", "sk-ant-up", "url", upstream.url("/v1")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1)));
        upstream.on("POST", "/v1/messages", MockUpstream.Reply.json(200,
                Fixtures.anthropicMessage("claude-3-5-sonnet-20241022", "ok", 5, 1, 0, 0)));
    }

    static String uid() {
        return "end-user-" + UUID.randomUUID();
    }

    /** A key with its own secret; {@code extra} is appended to the create body (e.g. tags). */
    static String key(String extra) {
        String secret = "sk-user-test-" + UUID.randomUUID();
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + openai + "\",\"" + anthropic + "\"]" + extra + "}");
        return secret;
    }

    static JsonNode user(String userId, String extra) {
        var r = gw.admin.post("/api/users", "{\"name\":\"u\",\"userId\":\"" + userId + "\"" + extra + "}");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    static String chat(String userId) {
        return "{\"model\":\"gpt-4o-mini\",\"user\":\"" + userId + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static void assertRefused(ProxyClient.Reply r, int status, String message) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        JsonNode err = read(r.text()).get("error");
        assertThat(err.get("code").asText()).isEqualTo(String.valueOf(status));
        assertThat(err.get("message").asText()).isEqualTo("[BricksLLM] " + message);
    }

    static JsonNode read(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s);
        }
    }

    @Test
    void revokedUserIs401AndRevocationTakesEffectAtOnce() {
        String k = key("");
        String u = uid();
        String id = user(u, "").get("id").asText();
        assertThat(proxy.postJson(CHAT, k, chat(u)).status()).isEqualTo(200);
        assertThat(gw.admin.patch("/api/users/" + id, "{\"revoked\":true,\"revokedReason\":\"abuse\"}").status()).isEqualTo(200);
        int before = upstream.calls();
        assertRefused(proxy.postJson(CHAT, k, chat(u)), 401, "user is revoked: " + u);
        assertThat(upstream.calls()).as("never forwarded").isEqualTo(before);
        assertThat(proxy.postJson(CHAT, k, chat(uid())).status()).as("another end user is unaffected").isEqualTo(200);
        gw.admin.patch("/api/users?userId=" + u, "{\"revoked\":false}");
        assertThat(proxy.postJson(CHAT, k, chat(u)).status()).as("un-revoked at once").isEqualTo(200);
    }

    @Test
    void expiredUserIs401() {
        String k = key("");
        String u = uid();
        user(u, ",\"ttl\":\"1ns\"");
        assertRefused(proxy.postJson(CHAT, k, chat(u)), 401, "user is revoked: " + u + " (ttl expired)");
        String fresh = uid();
        user(fresh, ",\"ttl\":\"1h\"");
        assertThat(proxy.postJson(CHAT, k, chat(fresh)).status()).isEqualTo(200);
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void modelOutsideTheUsersAllowedModelsIs403() {
        String k = key("");
        String u = uid();
        user(u, ",\"allowedModels\":[\"gpt-4o\"]");
        assertRefused(proxy.postJson(CHAT, k, chat(u)), 403, "model: gpt-4o-mini forbidden for user: " + u);
        assertThat(upstream.calls()).isZero();
        String allowed = uid();
        user(allowed, ",\"allowedModels\":[\"gpt-4o\",\"gpt-4o-mini\"]");
        assertThat(proxy.postJson(CHAT, k, chat(allowed)).status()).isEqualTo(200);
    }

    @Test
    void pathOutsideTheUsersAllowedPathsIs403() {
        String k = key("");
        String u = uid();
        user(u, ",\"allowedPaths\":[{\"path\":\"/api/providers/openai/v1/embeddings\",\"method\":\"POST\"},"
                + "{\"path\":\"" + CHAT + "\",\"method\":\"GET\"}]");
        assertRefused(proxy.postJson(CHAT, k, chat(u)), 403, "path: " + CHAT + " forbidden for user: " + u);
        assertThat(upstream.calls()).isZero();
        String allowed = uid();
        user(allowed, ",\"allowedPaths\":[{\"path\":\"" + CHAT + "\",\"method\":\"POST\"}]");
        assertThat(proxy.postJson(CHAT, k, chat(allowed)).status()).isEqualTo(200);
    }

    @Test
    void onARouteTheUsersAllowedModelsApplyToTheStepModels() {
        String secret = "sk-route-" + UUID.randomUUID();
        String keyId = gw.admin.createKey("{\"name\":\"r\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + openai + "\"]}")
                .get("keyId").asText();
        String path = "/users-" + UUID.randomUUID();
        var created = gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"" + path + "\",\"keyIds\":[\"" + keyId + "\"],"
                + "\"steps\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"timeout\":\"5s\"}],\"cacheConfig\":{\"enabled\":false}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String u = uid();
        user(u, ",\"allowedModels\":[\"gpt-4o\"]");
        String body = "{\"model\":\"gpt-4o\",\"user\":\"" + u + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertRefused(proxy.postJson("/api/routes" + path, secret, body), 403, "model: gpt-4o-mini forbidden for user: " + u);
        assertThat(upstream.calls()).isZero();
        String allowed = uid();
        user(allowed, ",\"allowedModels\":[\"gpt-4o-mini\"]");
        ProxyClient.Reply ok = proxy.postJson("/api/routes" + path, secret, body.replace(u, allowed));
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    }

    @Test
    void userRateLimitIs429AndCountsZeroCostRequestsToo() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "", 0, 0)));
        String k = key("");
        String u = uid();
        user(u, ",\"rateLimitOverTime\":2,\"rateLimitUnit\":\"h\"");
        assertThat(proxy.postJson(CHAT, k, chat(u)).status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, k, chat(u)).status()).isEqualTo(200);
        assertRefused(proxy.postJson(CHAT, k, chat(u)), 429, "too many requests for user: " + u);
        assertThat(upstream.calls()).isEqualTo(2);
        assertThat(proxy.postJson(CHAT, k, chat(uid())).status()).as("other users keep their own counters").isEqualTo(200);
        assertThat(proxy.postJson(CHAT, k, "{\"model\":\"gpt-4o-mini\",\"messages\":[]}").status()).as("no user id, no user limit")
                .isEqualTo(200);
    }

    @Test
    void fiftyConcurrentRequestsAgainstAUserLimitOfTenAdmitExactlyTen() {
        String k = key("");
        String u = uid();
        user(u, ",\"rateLimitOverTime\":10,\"rateLimitUnit\":\"m\"");
        List<Integer> statuses = proxy.concurrentPosts(50, CHAT, k, chat(u));
        assertThat(statuses.stream().filter(c -> c == 200).count()).isEqualTo(10);
        assertThat(statuses.stream().filter(c -> c == 429).count()).isEqualTo(40);
        assertThat(upstream.calls()).isEqualTo(10);
    }

    @Test
    void aUserSlotTakenByARequestThatALaterStageRefusedIsGivenBack() {
        String tag = "slot-" + UUID.randomUUID();
        String limitedKey = key(",\"tags\":[\"" + tag + "\"],\"rateLimitOverTime\":1,\"rateLimitUnit\":\"h\"");
        String freeKey = key(",\"tags\":[\"" + tag + "\"]");
        String u = uid();
        user(u, ",\"tags\":[\"" + tag + "\"],\"rateLimitOverTime\":2,\"rateLimitUnit\":\"h\"");
        assertThat(proxy.postJson(CHAT, limitedKey, chat(u)).status()).isEqualTo(200);           // user 1/2
        assertRefused(proxy.postJson(CHAT, limitedKey, chat(u)), 429, "too many requests");      // the key refuses: user slot back
        assertThat(proxy.postJson(CHAT, freeKey, chat(u)).status()).isEqualTo(200);              // user 2/2
        assertRefused(proxy.postJson(CHAT, freeKey, chat(u)), 429, "too many requests for user: " + u);
    }

    @Test
    void userBudgetIs429OnceSpent() {
        // gpt-4o-mini: $0.15 / $0.60 per million tokens → 10 in + 1000 out = $0.0006015 per request
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 10, 1000)));
        BigDecimal perRequest = new BigDecimal("0.0006015");
        BigDecimal limit = new BigDecimal("0.0015");
        String k = key("");
        String u = uid();
        user(u, ",\"costLimitInUsd\":" + limit);
        String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":1000,\"user\":\"" + u + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        int admitted = 0;
        ProxyClient.Reply last = null;
        for (int i = 0; i < 10; i++) {
            last = proxy.postJson(CHAT, k, body);
            if (last.status() != 200) break;
            admitted++;
        }
        assertRefused(last, 429, "cost limit reached for user: " + u);
        BigDecimal spent = perRequest.multiply(BigDecimal.valueOf(admitted));
        assertThat(spent).isLessThanOrEqualTo(limit.add(perRequest)).isGreaterThanOrEqualTo(limit.subtract(perRequest));
        assertThat(upstream.calls()).isEqualTo(admitted);
        assertThat(proxy.postJson(CHAT, k, chat(uid())).status()).as("the key itself has no budget").isEqualTo(200);
    }

    @Test
    void aUserWhoseTagsDoNotCoverTheKeysTagsIsIgnored() {
        String tag = "scope-" + UUID.randomUUID();
        String taggedKey = key(",\"tags\":[\"" + tag + "\",\"prod\"]");
        String u = uid();
        user(u, ",\"tags\":[\"" + tag + "\"],\"allowedModels\":[\"none\"]");               // lacks "prod": not seen by taggedKey
        assertThat(proxy.postJson(CHAT, taggedKey, chat(u)).status()).isEqualTo(200);
        String otherKey = key(",\"tags\":[\"" + tag + "\"]");
        assertRefused(proxy.postJson(CHAT, otherKey, chat(u)), 403, "model: gpt-4o-mini forbidden for user: " + u);
        user(u, ",\"tags\":[\"" + tag + "\",\"prod\",\"eu\"],\"revoked\":false,\"allowedModels\":[\"other\"]");  // covers taggedKey
        assertRefused(proxy.postJson(CHAT, taggedKey, chat(u)), 403, "model: gpt-4o-mini forbidden for user: " + u);
        assertThat(proxy.postJson(CHAT, key(""), chat(u)).status()).as("an untagged key sees both users: ambiguous, no checks")
                .isEqualTo(200);
    }

    @Test
    void anthropicMessagesTakeTheUserIdFromMetadata() {
        String k = key("");
        String u = uid();
        String id = user(u, "").get("id").asText();
        String body = "{\"model\":\"claude-3-5-sonnet-20241022\",\"max_tokens\":16,\"metadata\":{\"user_id\":\"" + u + "\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}";
        ProxyClient.Reply ok = proxy.send("POST", MESSAGES, Map.of("x-api-key", k, "Content-Type", "application/json",
                "anthropic-version", "2023-06-01"), body.getBytes());
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        gw.admin.patch("/api/users/" + id, "{\"revoked\":true}");
        ProxyClient.Reply r = proxy.send("POST", MESSAGES, Map.of("x-api-key", k, "Content-Type", "application/json",
                "anthropic-version", "2023-06-01"), body.getBytes());
        assertThat(r.status()).as(r.text()).isEqualTo(401);
        JsonNode err = read(r.text());
        assertThat(err.get("type").asText()).isEqualTo("error");
        assertThat(err.get("error").get("message").asText()).isEqualTo("[BricksLLM] user is revoked: " + u);
        assertThat(upstream.calls()).isEqualTo(1);
        // the OpenAI-style "user" field means nothing to the Anthropic endpoints
        String userField = "{\"model\":\"claude-3-5-sonnet-20241022\",\"max_tokens\":16,\"user\":\"" + u + "\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(proxy.send("POST", MESSAGES, Map.of("x-api-key", k, "Content-Type", "application/json",
                "anthropic-version", "2023-06-01"), userField.getBytes()).status()).isEqualTo(200);
    }

    @Test
    void userSpendSurvivesARestart() throws Exception {
        Path dir = Files.createTempDirectory("bricks-user-seed");
        String u = uid();
        String secret = "sk-restart-" + UUID.randomUUID();
        try (MockUpstream up = new MockUpstream()) {
            // $0.0012015 per request against a $0.001 budget: the first is admitted, later ones are not
            up.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 10, 2000)));
            try (TestGateway first = TestGateway.start(Map.of("DATA_DIR", dir.toString()))) {
                String s = first.admin.createSetting("openai", Map.of("apikey", "sk", "url", up.url("/v1")));
                first.admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + s + "\"]}");
                var r = first.admin.post("/api/users", "{\"name\":\"u\",\"userId\":\"" + u + "\",\"costLimitInUsd\":0.001}");
                assertThat(r.status()).isEqualTo(200);
                ProxyClient p = new ProxyClient(first.proxyUrl());
                assertThat(p.postJson(CHAT, secret, chat(u)).status()).isEqualTo(200);
                assertThat(p.postJson(CHAT, secret, chat(u)).status()).isEqualTo(429);
            }
            try (TestGateway second = TestGateway.start(Map.of("DATA_DIR", dir.toString()))) {
                ProxyClient p = new ProxyClient(second.proxyUrl());
                assertRefused(p.postJson(CHAT, secret, chat(u)), 429, "cost limit reached for user: " + u);
                assertThat(p.postJson(CHAT, secret, chat(uid())).status()).isEqualTo(200);
            }
            assertThat(up.calls()).isEqualTo(2);
        }
    }
}
