package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.store.SecretHash;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/key} (issue 19.7), end to end with the gateway's own in-process counters: the key's limits, what of
 * each is used and what remains, read without using any of it. The clock is fixed at 12:00:30 UTC, so every request
 * falls in one minute window, which resets at 12:01:00.
 */
class KeyViewTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final Instant NOW = Instant.parse("2026-01-01T12:00:30Z");
    static final String UPSTREAM_SECRET = "sk-upstream-credential-7f3a";
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String setting;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        // 1,000 prompt + 10 completion tokens of gpt-4o-mini: $0.00015 + $0.000006 a request
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1000, 10)));
        gw = TestGateway.start(Map.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        proxy = new ProxyClient(gw.proxyUrl());
        setting = gw.admin.createSetting("openai", Map.of("apikey", UPSTREAM_SECRET, "url", upstream.url("/v1")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    /** A key with {@code extra} fields; returns {secret, keyId}. */
    static String[] key(String extra) {
        String secret = "key-view-" + UUID.randomUUID();
        JsonNode created = gw.admin.createKey("{\"name\":\"agent\",\"key\":\"" + secret + "\",\"tags\":[\"team-a\"],\"settingIds\":[\""
                + setting + "\"]" + extra + "}");
        return new String[] {secret, created.get("keyId").asText(), created.get("createdAt").asText()};
    }

    static ProxyClient.Reply view(String secret) {
        return proxy.get("/v1/key", secret);
    }

    static JsonNode viewJson(String secret) {
        ProxyClient.Reply r = view(secret);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return Json.read(r.text(), JsonNode.class);
    }

    @Test
    void afterNRequestsTheViewShowsNUsedAndTheRestRemainingAndViewingUsesNone() {
        String[] k = key(",\"rateLimitOverTime\":5,\"rateLimitUnit\":\"m\"");
        for (int i = 0; i < 3; i++) assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(200);

        JsonNode requests = viewJson(k[0]).get("usage").get("requests");
        assertThat(requests.get("limit").asLong()).isEqualTo(5);
        assertThat(requests.get("used").asLong()).isEqualTo(3);
        assertThat(requests.get("remaining").asLong()).isEqualTo(2);
        assertThat(requests.get("unit").asText()).isEqualTo("m");
        assertThat(requests.get("resetsAt").asLong()).isEqualTo(Instant.parse("2026-01-01T12:01:00Z").getEpochSecond());

        // looking again, and again, changes nothing: the view takes no slot
        String second = view(k[0]).text();
        for (int i = 0; i < 10; i++) assertThat(view(k[0]).text()).isEqualTo(second);
        assertThat(Json.read(second, JsonNode.class).get("usage").get("requests").get("used").asLong()).isEqualTo(3);
        // ... so the key still has exactly its two requests left
        assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(429);
        // and a key at its limit may still look at it
        JsonNode atLimit = viewJson(k[0]).get("usage").get("requests");
        assertThat(atLimit.get("used").asLong()).isEqualTo(5);
        assertThat(atLimit.get("remaining").asLong()).isZero();
    }

    @Test
    void spendAfterPricedRequestsIsTheEventsCostAndViewingReservesNothing() {
        String[] k = key(",\"costLimitInUsd\":0.001,\"costLimitInUsdOverTime\":0.0005,\"costLimitInUsdUnit\":\"d\"");
        assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(200);
        List<JsonNode> chats = Events.awaitMatching(gw.admin, k[1], e -> e.get("path").asText().equals(CHAT), 2);
        double eventsCost = chats.stream().mapToDouble(e -> e.get("cost_in_usd").asDouble()).sum();
        assertThat(eventsCost).isCloseTo(2 * 0.000156, within(1e-9));

        JsonNode usage = viewJson(k[0]).get("usage");
        assertThat(usage.has("requests")).as("no rate limit, no request usage").isFalse();
        JsonNode total = usage.get("costInUsd");
        assertThat(total.get("limitInUsd").asDouble()).isEqualTo(0.001);
        assertThat(total.get("spentInUsd").asDouble()).isCloseTo(eventsCost, within(2e-6)); // micro-dollars, rounded up
        assertThat(total.get("remainingInUsd").asDouble()).isCloseTo(0.001 - eventsCost, within(2e-6));
        assertThat(total.has("resetsAt")).as("a total budget never resets").isFalse();
        JsonNode period = usage.get("costInUsdOverTime");
        assertThat(period.get("limitInUsd").asDouble()).isEqualTo(0.0005);
        assertThat(period.get("spentInUsd").asDouble()).isCloseTo(eventsCost, within(2e-6));
        assertThat(period.get("remainingInUsd").asDouble()).isCloseTo(0.0005 - eventsCost, within(2e-6));
        assertThat(period.get("unit").asText()).isEqualTo("d");
        assertThat(period.get("resetsAt").asLong()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z").getEpochSecond());

        for (int i = 0; i < 5; i++) assertThat(view(k[0]).status()).isEqualTo(200);
        assertThat(viewJson(k[0]).get("usage")).isEqualTo(usage);
        // the views spent nothing: admission continues while the day's spend is below $0.0005 — two more requests
        assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, k[0], BODY).status()).isEqualTo(429);
        JsonNode spent = viewJson(k[0]).get("usage").get("costInUsdOverTime");
        assertThat(spent.get("spentInUsd").asDouble()).isCloseTo(4 * 0.000156, within(4e-6));
        assertThat(spent.get("remainingInUsd").asDouble()).as("overshoot shows as nothing left").isZero();
    }

    @Test
    void theViewShowsTheKeysOwnFieldsAndNeverItsSecretHashOrCredentials() {
        String[] k = key(",\"rateLimitOverTime\":100,\"rateLimitUnit\":\"h\",\"costLimitInUsd\":2.5,\"ttl\":\"48h\","
                + "\"allowedPaths\":[{\"path\":\"" + CHAT + "\",\"method\":\"POST\"}]");
        long createdAt = Long.parseLong(k[2]);
        ProxyClient.Reply r = view(k[0]);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode v = Json.read(r.text(), JsonNode.class);
        assertThat(v.get("keyId").asText()).isEqualTo(k[1]);
        assertThat(v.get("name").asText()).isEqualTo("agent");
        assertThat(v.get("tags")).hasSize(1);
        assertThat(v.get("tags").get(0).asText()).isEqualTo("team-a");
        assertThat(v.get("rateLimitOverTime").asInt()).isEqualTo(100);
        assertThat(v.get("rateLimitUnit").asText()).isEqualTo("h");
        assertThat(v.get("costLimitInUsd").asDouble()).isEqualTo(2.5);
        assertThat(v.get("ttl").asText()).isEqualTo("48h");
        assertThat(v.get("expiresAt").asLong()).isEqualTo(createdAt + 48 * 3600);
        // allowedPaths restrict what the key reaches upstream; its own view is not among them, and shows them
        assertThat(v.get("allowedPaths").get(0).get("path").asText()).isEqualTo(CHAT);
        assertThat(v.get("providers").get(0).get("provider").asText()).isEqualTo("openai");
        assertThat(v.get("providers").get(0).has("allowedModels")).as("every model allowed").isFalse();
        assertThat(v.get("usage").get("requests").get("used").asLong()).isZero();
        assertThat(v.get("usage").get("costInUsd").get("spentInUsd").asDouble()).isZero();

        assertThat(r.text()).doesNotContain(k[0]).doesNotContain(SecretHash.sha256Hex(k[0]))
                .doesNotContain(UPSTREAM_SECRET).doesNotContain(setting);
        assertThat(v.has("key")).isFalse();
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void everyHeaderThatCarriesAGatewayKeyIsAccepted() {
        String[] k = key("");
        for (String header : List.of("x-api-key", "api-key", "x-goog-api-key")) {
            ProxyClient.Reply r = proxy.send("GET", "/v1/key", Map.of(header, k[0]), null);
            assertThat(r.status()).as(header + ": " + r.text()).isEqualTo(200);
            assertThat(r.text()).contains(k[1]);
        }
        ProxyClient.Reply bearer = proxy.send("GET", "/v1/key", Map.of("Authorization", "Bearer " + k[0]), null);
        assertThat(bearer.status()).isEqualTo(200);
        assertThat(Json.read(bearer.text(), JsonNode.class).get("usage").isEmpty()).as("a key without limits uses none").isTrue();
    }

    @Test
    void withoutAKnownKeyTheViewIs401() {
        ProxyClient.Reply none = proxy.send("GET", "/v1/key", Map.of(), null);
        assertThat(none.status()).isEqualTo(401);
        ProxyClient.Reply bad = proxy.get("/v1/key", "not-a-key-" + UUID.randomUUID());
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.text()).doesNotContain("keyId");
    }

    @Test
    void aRevokedKeyIsRefused() {
        String[] k = key("");
        assertThat(gw.admin.patch("/api/key-management/keys/" + k[1], "{\"revoked\":true}").status()).isEqualTo(200);
        assertThat(view(k[0]).status()).isEqualTo(401);
    }
}
