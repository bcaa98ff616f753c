package io.bricksllm.admin;

import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestGateway;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ADMIN_PASS: every admin call but /api/health needs X-API-KEY; a wrong or missing one is a 401 JSON (DECISIONS.md). */
class AdminAuthTest {
    static final String PASS = "admin-pass-0123456789";
    static TestGateway gw;
    static AdminClient authed;
    static String setting;
    static String keyId;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of("ADMIN_PASS", PASS));
        authed = gw.admin.withHeader("X-API-KEY", PASS);
        setting = authed.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        keyId = authed.createKey("""
                {"name":"k","key":"%s","settingId":"%s"}""".formatted(unique("sk"), setting)).get("keyId").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static Stream<Arguments> adminCalls() {
        return Stream.of(
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"x\",\"key\":\"NEWSECRET\",\"settingId\":\"SETTING\"}"),
                arguments("GET", "/api/key-management/keys?keyIds=KEY", null),
                arguments("POST", "/api/v2/key-management/keys", "{}"),
                arguments("PATCH", "/api/key-management/keys/KEY", "{\"name\":\"renamed\"}"),
                arguments("DELETE", "/api/key-management/keys/no-such-key", null),
                arguments("PUT", "/api/provider-settings", "{\"provider\":\"openai\",\"setting\":{\"apikey\":\"k\"}}"),
                arguments("GET", "/api/provider-settings", null),
                arguments("GET", "/api/provider-settings?ids=SETTING", null),
                arguments("PATCH", "/api/provider-settings/SETTING", "{\"name\":\"renamed\"}"),
                arguments("GET", "/api/no-such-endpoint", null),
                arguments("DELETE", "/api/provider-settings", null),
                arguments("PUT", "/api/key-management/keys", "x".repeat(6 * 1024 * 1024)));
    }

    static Reply call(AdminClient client, String method, String path, String body) {
        return client.send(method, path.replace("SETTING", setting).replace("KEY", keyId),
                body == null ? null : body.replace("SETTING", setting).replace("NEWSECRET", unique("sk")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("adminCalls")
    void missingApiKeyIsA401(String method, String path, String body) {
        JsonNode e = assertError(call(gw.admin, method, path, body), 401, "/errors/unauthorized");
        assertThat(e.toString()).doesNotContain(PASS);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("adminCalls")
    void wrongApiKeyIsA401(String method, String path, String body) {
        assertError(call(gw.admin.withHeader("X-API-KEY", "admin-pass-0123456788"), method, path, body), 401, "/errors/unauthorized");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("adminCalls")
    void apiKeyDiffersOnlyByCaseOrPrefixIsA401(String method, String path, String body) {
        assertError(call(gw.admin.withHeader("X-API-KEY", PASS.toUpperCase()), method, path, body), 401, "/errors/unauthorized");
        assertError(call(gw.admin.withHeader("X-API-KEY", PASS.substring(0, 5)), method, path, body), 401, "/errors/unauthorized");
        assertError(call(gw.admin.withHeader("X-API-KEY", PASS + "x"), method, path, body), 401, "/errors/unauthorized");
        assertError(call(gw.admin.withHeader("X-API-KEY", ""), method, path, body), 401, "/errors/unauthorized");
    }

    @Test
    void refusedCallChangesNothing() {
        call(gw.admin, "PATCH", "/api/key-management/keys/KEY", "{\"name\":\"hijacked\"}");
        call(gw.admin, "DELETE", "/api/key-management/keys/KEY", null);
        assertThat(gw.gateway().liveConfig().current().keysById().get(keyId).name()).isEqualTo("k");
    }

    @Test
    void passwordInAnotherHeaderIsA401() {
        assertError(gw.admin.withHeader("Authorization", "Bearer " + PASS).get("/api/provider-settings"), 401, "/errors/unauthorized");
    }

    @Test
    void healthIsOpenWithoutTheApiKey() {
        Reply r = gw.admin.get("/api/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(gw.admin.withHeader("X-API-KEY", "wrong").get("/api/health").status()).isEqualTo(200);
    }

    @Test
    void rightApiKeyIsServed() {
        assertThat(authed.get("/api/provider-settings").status()).isEqualTo(200);
        assertThat(authed.get("/api/key-management/keys?keyIds=" + keyId).status()).isEqualTo(200);
        assertThat(authed.post("/api/v2/key-management/keys", "{}").status()).isEqualTo(200);
        assertThat(authed.patch("/api/provider-settings/" + setting, "{\"name\":\"ok\"}").status()).isEqualTo(200);
        assertThat(gw.admin.withHeader("x-api-key", PASS).get("/api/provider-settings").status())
                .as("header names are case-insensitive").isEqualTo(200);
    }

    @Test
    void rightApiKeyStillGetsOrdinaryErrors() {
        assertError(authed.get("/api/no-such-endpoint"), 404, "/errors/route-not-found");
        assertError(authed.patch("/api/key-management/keys/unknown", "{}"), 404, "/errors/not-found");
    }

    @Test
    void withoutAdminPassNoHeaderIsNeeded() {
        try (TestGateway open = TestGateway.start()) {
            assertThat(open.admin.get("/api/provider-settings").status()).isEqualTo(200);
            assertThat(open.admin.withHeader("X-API-KEY", "anything").get("/api/provider-settings").status()).isEqualTo(200);
        }
    }
}
