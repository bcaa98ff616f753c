package io.bricksllm.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.config.PostgresSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A key's several settings for one provider picked with the route strategies (issue 22, item 1): {@code settingStrategy}
 * and {@code settingWeights} checked, stored on both databases, shown only when set, and used by the proxy with the
 * targets' health; a key without them behaves as before.
 */
class KeySettingStrategyTest {
    static final String CHAT = "/v1/chat/completions";
    static final String NATIVE = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static TestGateway gateway(TestDatabases.Kind kind) {
        if (kind == TestDatabases.Kind.SQLITE) return TestGateway.start();
        PostgresSettings pg = TestDatabases.freshPostgres();
        return TestGateway.start(Map.of("POSTGRESQL_HOSTS", pg.host(), "POSTGRESQL_PORT", String.valueOf(pg.port()),
                "POSTGRESQL_DB_NAME", pg.database(), "POSTGRESQL_USERNAME", pg.username(), "POSTGRESQL_PASSWORD", pg.password()));
    }

    static JsonNode stored(AdminClient admin, String keyId) {
        for (JsonNode k : admin.get("/api/key-management/keys?keyIds=" + keyId).json()) if (k.get("keyId").asText().equals(keyId)) return k;
        throw new AssertionError("key " + keyId + " not listed");
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void theFieldsAreCheckedStoredAndShownOnlyWhenSet(TestDatabases.Kind kind) {
        try (TestGateway gw = gateway(kind); MockUpstream up = new MockUpstream()) {
            AdminClient admin = gw.admin;
            String a = admin.createSetting("openai", Map.of("apikey", "sk-a", "url", up.url("/v1")));
            String b = admin.createSetting("openai", Map.of("apikey", "sk-b", "url", up.url("/v1")));
            String ids = "\"settingIds\":[\"" + a + "\",\"" + b + "\"]";

            AdminClient.Reply bad = admin.put("/api/key-management/keys", "{\"name\":\"k\",\"key\":\"k-bad\"," + ids + ",\"settingStrategy\":\"fastest\"}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("settingStrategy must be one of").contains("least-busy");
            bad = admin.put("/api/key-management/keys", "{\"name\":\"k\",\"key\":\"k-bad\"," + ids
                    + ",\"settingStrategy\":\"weighted\",\"settingWeights\":{\"nope\":2}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("settingWeights names setting nope");
            bad = admin.put("/api/key-management/keys", "{\"name\":\"k\",\"key\":\"k-bad\"," + ids
                    + ",\"settingStrategy\":\"weighted\",\"settingWeights\":{\"" + a + "\":0}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("must be a whole number from 1");
            bad = admin.put("/api/key-management/keys", "{\"name\":\"k\",\"key\":\"k-bad\"," + ids + ",\"settingWeights\":{\"" + a + "\":2}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("settingWeights needs a settingStrategy");

            // a key without the fields shows none of them
            String plain = admin.createKey("{\"name\":\"k\",\"key\":\"k-plain\"," + ids + "}").get("keyId").asText();
            assertThat(stored(admin, plain).has("settingStrategy")).isFalse();
            assertThat(stored(admin, plain).has("settingWeights")).isFalse();

            JsonNode made = admin.createKey("{\"name\":\"k\",\"key\":\"k-rr\"," + ids
                    + ",\"settingStrategy\":\"round-robin\",\"settingWeights\":{\"" + a + "\":3}}");
            String id = made.get("keyId").asText();
            JsonNode k = stored(admin, id); // read back from the database
            assertThat(k.get("settingStrategy").asText()).isEqualTo("round-robin");
            assertThat(k.get("settingWeights").get(a).asInt()).isEqualTo(3);

            AdminClient.Reply patched = admin.patch("/api/key-management/keys/" + id, "{\"settingStrategy\":\"worst\"}");
            assertThat(patched.status()).isEqualTo(400);
            patched = admin.patch("/api/key-management/keys/" + id, "{\"settingStrategy\":\"least-busy\"}");
            assertThat(patched.status()).isEqualTo(200);
            assertThat(stored(admin, id).get("settingStrategy").asText()).isEqualTo("least-busy");
            assertThat(stored(admin, id).get("settingWeights").get(a).asInt()).isEqualTo(3);
            // cleared: both at once (weights without a strategy are refused)
            patched = admin.patch("/api/key-management/keys/" + id, "{\"settingStrategy\":\"\",\"settingWeights\":{}}");
            assertThat(patched.status()).isEqualTo(200);
            assertThat(stored(admin, id).has("settingStrategy")).isFalse();
            assertThat(stored(admin, id).has("settingWeights")).isFalse();
        }
    }

    @Test
    void twoSettingsOfOneProviderShareTrafficByTheKeysStrategyAndAFailingOneCoolsDown() {
        try (TestGateway gw = TestGateway.start(); MockUpstream a = new MockUpstream(); MockUpstream b = new MockUpstream()) {
            a.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "from a", 5, 5)));
            b.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "from b", 5, 5)));
            String sa = gw.admin.createSetting("openai", Map.of("apikey", "sk-a", "url", a.url("/v1")));
            String sb = gw.admin.createSetting("openai", Map.of("apikey", "sk-b", "url", b.url("/v1")));
            String ids = "\"settingIds\":[\"" + sa + "\",\"" + sb + "\"]";
            gw.admin.createKey("{\"name\":\"old\",\"key\":\"old-key\"," + ids + "}");
            gw.admin.createKey("{\"name\":\"rr\",\"key\":\"rr-key\"," + ids + ",\"settingStrategy\":\"round-robin\",\"settingWeights\":{\"" + sa + "\":3}}");
            ProxyClient p = new ProxyClient(gw.proxyUrl());

            // a key without a strategy (and without rotation): its first setting, always
            for (int i = 0; i < 4; i++) assertThat(p.postJson(NATIVE, "old-key", BODY).status()).isEqualTo(200);
            assertThat(a.calls()).isEqualTo(4);
            assertThat(b.calls()).isZero();

            // smooth weighted round-robin 3:1 over 8 requests: exactly 6 and 2, on the native path and the unified one
            a.reset();
            b.reset();
            a.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "from a", 5, 5)));
            b.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "from b", 5, 5)));
            for (int i = 0; i < 4; i++) assertThat(p.postJson(NATIVE, "rr-key", BODY).status()).isEqualTo(200);
            for (int i = 0; i < 4; i++) {
                assertThat(p.postJson("/v1/chat/completions", "rr-key", BODY.replace("gpt-4o-mini", "openai/gpt-4o-mini")).status()).isEqualTo(200);
            }
            assertThat(a.calls()).isEqualTo(6);
            assertThat(b.calls()).isEqualTo(2);

            // a fails: after five failures (failover conditions) it cools down and b takes every request
            a.reset();
            b.reset();
            a.on("POST", CHAT, MockUpstream.Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
            b.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "from b", 5, 5)));
            for (int i = 0; i < 24; i++) p.postJson(NATIVE, "rr-key", BODY);
            assertThat(a.calls()).isEqualTo(5);
            assertThat(b.calls()).isEqualTo(19);
        }
    }

    @Test
    void anUnreachableSettingCoolsDownAndAGatewayRefusalSaysNothingAboutTheSetting() {
        try (TestGateway gw = TestGateway.start(); MockUpstream a = new MockUpstream(); MockUpstream b = new MockUpstream()) {
            a.on("POST", CHAT, MockUpstream.Reply.closeConnection());
            b.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "from b", 5, 5)));
            String sa = gw.admin.createSetting("openai", Map.of("apikey", "sk-a", "url", a.url("/v1")));
            String sb = gw.admin.createSetting("openai", Map.of("apikey", "sk-b", "url", b.url("/v1")));
            String ids = "\"settingIds\":[\"" + sa + "\",\"" + sb + "\"]";
            gw.admin.createKey("{\"name\":\"rr\",\"key\":\"rr-key\"," + ids + ",\"settingStrategy\":\"round-robin\"}");
            ProxyClient p = new ProxyClient(gw.proxyUrl());
            // requests the gateway refuses itself (no model: 400 before any upstream) do not count against a
            for (int i = 0; i < 12; i++) {
                assertThat(p.postJson(NATIVE, "rr-key", "not json").status()).isBetween(400, 499);
            }
            // round-robin: a, b, a, b, … — a's five connection failures (502s) take it out, b takes the rest
            int bad = 0;
            for (int i = 0; i < 16; i++) if (p.postJson(NATIVE, "rr-key", BODY).status() == 502) bad++;
            assertThat(bad).isEqualTo(5);
            assertThat(b.calls()).isEqualTo(11);
        }
    }

    @Test
    void aRoutesPlainStepPicksAmongTheKeysSettingsByItsStrategyAndRetriesOnAnotherSetting() {
        try (TestGateway gw = TestGateway.start(); MockUpstream a = new MockUpstream(); MockUpstream b = new MockUpstream()) {
            a.on("POST", CHAT, MockUpstream.Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
            b.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "from b", 5, 5)));
            String sa = gw.admin.createSetting("openai", Map.of("apikey", "sk-a", "url", a.url("/v1")));
            String sb = gw.admin.createSetting("openai", Map.of("apikey", "sk-b", "url", b.url("/v1")));
            String ids = "\"settingIds\":[\"" + sa + "\",\"" + sb + "\"]";
            String old = gw.admin.createKey("{\"name\":\"old\",\"key\":\"old-key\"," + ids + "}").get("keyId").asText();
            String rr = gw.admin.createKey("{\"name\":\"rr\",\"key\":\"rr-key\"," + ids + ",\"settingStrategy\":\"round-robin\"}").get("keyId").asText();
            assertThat(gw.admin.post("/api/routes", "{\"name\":\"r\",\"path\":\"/plain\",\"keyIds\":[\"" + old + "\",\"" + rr + "\"],"
                    + "\"cacheConfig\":{\"enabled\":false},\"steps\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"retries\":1,"
                    + "\"retryInterval\":\"1ms\"}]}").status()).isEqualTo(200);
            ProxyClient p = new ProxyClient(gw.proxyUrl());
            // as before: the key's first setting, retried there
            assertThat(p.postJson("/api/routes/plain", "old-key", BODY).status()).isEqualTo(500);
            assertThat(a.calls()).isEqualTo(2);
            assertThat(b.calls()).isZero();
            // by the key's strategy: a retry goes to the other setting, and a cools down after five failures
            for (int i = 0; i < 12; i++) assertThat(p.postJson("/api/routes/plain", "rr-key", BODY).text()).contains("from b");
            assertThat(a.calls() - 2).isEqualTo(5); // round-robin tries a first every other request
            long before = a.calls();
            for (int i = 0; i < 4; i++) p.postJson("/api/routes/plain", "rr-key", BODY);
            assertThat(a.calls()).isEqualTo(before); // cooling down
        }
    }
}
