package io.bricksllm.admin;

import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.config.PostgresSettings;
import io.bricksllm.store.Json;
import io.bricksllm.store.SecretHash;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import io.bricksllm.testing.TestGateway;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The admin API behaves the same on the embedded SQLite file and on scale-out PostgreSQL. */
class AdminStorageTest {
    static final Map<Kind, TestGateway> GATEWAYS = new EnumMap<>(Kind.class);

    @BeforeAll
    static void start() {
        GATEWAYS.put(Kind.SQLITE, TestGateway.start());
        PostgresSettings pg = TestDatabases.freshPostgres();
        GATEWAYS.put(Kind.POSTGRES, TestGateway.start(Map.of("POSTGRESQL_HOSTS", pg.host(), "POSTGRESQL_PORT",
                String.valueOf(pg.port()), "POSTGRESQL_DB_NAME", pg.database(), "POSTGRESQL_USERNAME", pg.username())));
    }

    @AfterAll
    static void stop() {
        GATEWAYS.values().forEach(TestGateway::close);
    }

    static AdminClient admin(Kind kind) {
        return GATEWAYS.get(kind).admin;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void gatewayUsesTheConfiguredStorage(Kind kind) {
        assertThat(GATEWAYS.get(kind).gateway().database().dialect().name()).isEqualTo(kind.name());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void fullKeyLifecycle(Kind kind) {
        AdminClient admin = admin(kind);
        String setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        GATEWAYS.get(kind).gateway().database().update("INSERT INTO policies (id, created_at, updated_at, name, config,"
                + " regex_config, custom_config) VALUES (?,?,?,?,?,?,?)", unique("pol"), 1, 1, "p", "{}", "{}", "{}");
        String policy = GATEWAYS.get(kind).gateway().database().query("SELECT id FROM policies", rs -> rs.getString(1)).get(0);
        String secret = unique("sk-life");
        String tag = unique("life");
        JsonNode k = admin.createKey("""
                {"name":"Life Cycle","key":"%s","settingId":"%s","tags":["%s"],"isKeyNotHashed":true}""".formatted(secret, setting, tag));
        String id = k.get("keyId").asText();
        // allowedPaths + policyId + re-hash in one PATCH broke the original's SQL (BEHAVIOUR.md §15.29)
        Reply up = admin.patch("/api/key-management/keys/" + id, """
                {"allowedPaths":[{"path":"/api/providers/openai/v1/chat/completions","method":"POST"}],"policyId":"%s",
                 "isKeyNotHashed":false,"revoked":true,"revokedReason":"test"}""".formatted(policy));
        assertThat(up.status()).as("%s", up).isEqualTo(200);
        assertThat(up.json().get("key").asText()).isEqualTo(SecretHash.sha256Hex(secret));
        assertThat(admin.get("/api/key-management/keys?tag=" + tag + "&provider=openai").json()).hasSize(1);
        JsonNode v2 = admin.post("/api/v2/key-management/keys", "{\"revoked\":true,\"name\":\"life cycle\",\"returnCount\":true}").json();
        assertThat(v2.get("count").asInt()).isEqualTo(1);
        assertThat(admin.delete("/api/key-management/keys/" + id).status()).isEqualTo(200);
        assertThat(admin.get("/api/key-management/keys?tag=" + tag).json()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void nameLongerThanTheColumnIsAValidationError(Kind kind) {
        AdminClient admin = admin(kind);
        String setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        String longName = "n".repeat(256);
        Reply key = admin.put("/api/key-management/keys", """
                {"name":"%s","key":"%s","settingId":"%s"}""".formatted(longName, unique("sk"), setting));
        AdminAssertions.assertValidation(key, "fields [name] are invalid");
        assertThat(admin.put("/api/key-management/keys", """
                {"name":"%s","key":"%s","settingId":"%s"}""".formatted("n".repeat(255), unique("sk"), setting)).status()).isEqualTo(200);
        Reply settingReply = admin.put("/api/provider-settings", Json.write(Map.of("provider", "openai", "name", longName,
                "setting", Map.of("apikey", "k"))));
        AdminAssertions.assertValidation(settingReply, "fields [name] are invalid");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void overlongRawSecretRevokedReasonAndTtlAreValidationErrors(Kind kind) {
        AdminClient admin = admin(kind);
        String setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        AdminAssertions.assertValidation(admin.put("/api/key-management/keys", """
                {"name":"n","key":"%s","settingId":"%s","isKeyNotHashed":true}""".formatted("k".repeat(513), setting)),
                "fields [key] are invalid");
        assertThat(admin.put("/api/key-management/keys", """
                {"name":"n","key":"%s","settingId":"%s"}""".formatted("k".repeat(10_000), setting)).status())
                .as("a hashed secret of any length is stored as 64 hex digits").isEqualTo(200);
        AdminAssertions.assertValidation(admin.put("/api/key-management/keys", """
                {"name":"n","key":"%s","settingId":"%s","ttl":"%s"}""".formatted(unique("sk"), setting, "1s".repeat(40))),
                "fields [ttl] are invalid");
        String id = admin.createKey("""
                {"name":"n","key":"%s","settingId":"%s"}""".formatted(unique("sk"), setting)).get("keyId").asText();
        AdminAssertions.assertValidation(admin.patch("/api/key-management/keys/" + id, """
                {"revoked":true,"revokedReason":"%s"}""".formatted("r".repeat(256))), "fields [revokedReason] are invalid");
        AdminAssertions.assertValidation(admin.patch("/api/key-management/keys/" + id, """
                {"name":"%s"}""".formatted("n".repeat(256))), "fields [name] are invalid");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void textTheDatabaseCannotStoreIsNeverA5xx(Kind kind) {
        AdminClient admin = admin(kind);
        String setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        Reply r = admin.put("/api/key-management/keys", """
                {"name":"nul\\u0000byte","key":"%s","settingId":"%s","tags":["t\\u0000"]}""".formatted(unique("sk"), setting));
        assertThat(r.status()).as("%s", r).isLessThan(500);
        if (r.status() != 200) assertError(r, 400, "/errors/validation");
    }
}
