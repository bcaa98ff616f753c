package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One test per refusal of the proxy (DECISIONS.md "Status codes on the proxy"); none reaches the upstream. */
class ProxyRefusalTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String openai;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1)));
        gw = TestGateway.start(Map.of("PROXY_BODY_LIMIT", "4096"));
        proxy = new ProxyClient(gw.proxyUrl());
        openai = gw.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
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
    }

    static String key(String secret, String extra) {
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + openai + "\"]" + extra + "}");
        return secret;
    }

    static void assertRefused(ProxyClient.Reply r, int status, String messagePart) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        JsonNode err = read(r.text()).get("error");
        assertThat(err.get("code").asText()).isEqualTo(String.valueOf(status));
        assertThat(err.get("message").asText()).startsWith("[BricksLLM]").contains(messagePart);
        assertThat(upstream.calls()).isZero();
    }

    static JsonNode read(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s);
        }
    }

    @Test
    void missingKeyIs401() {
        ProxyClient.Reply r = proxy.send("POST", CHAT, Map.of("Content-Type", "application/json"), BODY.getBytes());
        assertRefused(r, 401, "api key not found");
    }

    @Test
    void unknownKeyIs401AndTheSecretIsNotEchoed() {
        ProxyClient.Reply r = proxy.postJson(CHAT, "totally-unknown-secret-value", BODY);
        assertRefused(r, 401, "is not found");
        assertThat(r.text()).doesNotContain("totally-unknown-secret-value");
    }

    @Test
    void revokedKeyIs401() {
        String id = gw.admin.createKey("{\"name\":\"k\",\"key\":\"revoked-1\",\"settingIds\":[\"" + openai + "\"]}").get("keyId").asText();
        gw.admin.patch("/api/key-management/keys/" + id, "{\"revoked\":true,\"revokedReason\":\"gone\"}");
        assertRefused(proxy.postJson(CHAT, "revoked-1", BODY), 401, "revoked");
    }

    @Test
    void expiredKeyIs401AtOnce() {
        key("expiring-1", ",\"ttl\":\"1ns\"");
        assertRefused(proxy.postJson(CHAT, "expiring-1", BODY), 401, "expired");
    }

    @Test
    void keyWithoutSettingForThisProviderIs401() {
        String anth = gw.admin.createSetting("anthropic", Map.of("apikey", "sk-ant"));
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"anthropic-only\",\"settingIds\":[\"" + anth + "\"]}");
        ProxyClient.Reply r = proxy.postJson(CHAT, "anthropic-only", BODY);
        assertRefused(r, 401, "provider setting not found");
        assertThat(r.text()).doesNotContain("anthropic-only");
    }

    @Test
    void pathNotInAllowedPathsIs403() {
        key("paths-1", ",\"allowedPaths\":[{\"path\":\"/api/providers/openai/v1/embeddings\",\"method\":\"POST\"}]");
        assertRefused(proxy.postJson(CHAT, "paths-1", BODY), 403, "path is not allowed");
    }

    @Test
    void allowedPathMatchesTheTemplateAndMethod() {
        key("paths-2", ",\"allowedPaths\":[{\"path\":\"" + CHAT + "\",\"method\":\"POST\"}]");
        assertThat(proxy.postJson(CHAT, "paths-2", BODY).status()).isEqualTo(200);
    }

    @Test
    void modelNotInAllowedModelsIs403() {
        String restricted = gw.admin.put("/api/provider-settings", Json.write(Map.of("provider", "openai",
                "setting", Map.of("apikey", "sk-up", "url", upstream.url("/v1")), "allowedModels", java.util.List.of("gpt-4o")))).json().get("id").asText();
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"models-1\",\"settingIds\":[\"" + restricted + "\"]}");
        assertRefused(proxy.postJson(CHAT, "models-1", BODY), 403, "model is not allowed");
    }

    @Test
    void invalidRequestTimeoutIs400() {
        key("timeout-1", "");
        ProxyClient.Reply r = proxy.send("POST", CHAT, Map.of("Authorization", "Bearer timeout-1",
                "Content-Type", "application/json", "X-REQUEST-TIMEOUT", "soon"), BODY.getBytes());
        assertRefused(r, 400, "invalid timeout");
    }

    @Test
    void bodyOverTheLimitIs413() {
        key("big-1", "");
        String big = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000) + "\"}]}";
        assertRefused(proxy.postJson(CHAT, "big-1", big), 413, "larger than");
    }

    @Test
    void malformedJsonIs400NotForwarded() {
        key("bad-json-1", "");
        assertRefused(proxy.postJson(CHAT, "bad-json-1", "{\"model\": "), 400, "not valid JSON");
    }

    @Test
    void unknownPathIs404() {
        key("unknown-path", "");
        assertRefused(proxy.postJson("/api/providers/openai/v1/nothing/here", "unknown-path", BODY), 404, "route not supported");
    }

    @Test
    void rateLimitedKeyGets429() {
        key("rate-1", ",\"rateLimitOverTime\":2,\"rateLimitUnit\":\"h\"");
        assertThat(proxy.postJson(CHAT, "rate-1", BODY).status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, "rate-1", BODY).status()).isEqualTo(200);
        upstream.reset();
        assertRefused(proxy.postJson(CHAT, "rate-1", BODY), 429, "too many requests");
    }

    @Test
    void unreachableUpstreamIs502() {
        String dead = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", "http://127.0.0.1:" + io.bricksllm.testing.TestDatabases.freePort() + "/v1"));
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"dead-1\",\"settingIds\":[\"" + dead + "\"]}");
        ProxyClient.Reply r = proxy.postJson(CHAT, "dead-1", BODY);
        assertThat(r.status()).as(r.text()).isEqualTo(502);
        assertThat(read(r.text()).get("error").get("code").asText()).isEqualTo("502");
    }

    @Test
    void slowUpstreamIs504AfterTheRequestTimeout() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "late", 1, 1))
                .withDelay(Duration.ofSeconds(3)));
        key("slow-1", "");
        long t0 = System.nanoTime();
        ProxyClient.Reply r = proxy.send("POST", CHAT, Map.of("Authorization", "Bearer slow-1",
                "Content-Type", "application/json", "X-REQUEST-TIMEOUT", "300ms"), BODY.getBytes());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).as(r.text()).isEqualTo(504);
        assertThat(ms).isLessThan(2500);
    }

    @Test
    void upstreamErrorsPassThroughUnchanged() {
        String body = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}";
        upstream.on("POST", "/v1/embeddings", MockUpstream.Reply.json(429, body));
        key("passthrough-err", "");
        ProxyClient.Reply r = proxy.postJson("/api/providers/openai/v1/embeddings", "passthrough-err",
                "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.text()).isEqualTo(body);
    }

    @Test
    void corsPreflightIs204WithoutAuth() {
        ProxyClient.Reply r = proxy.send("OPTIONS", CHAT, Map.of("Origin", "https://app.example", "Access-Control-Request-Method", "POST"), null);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
    }
}
