package io.bricksllm.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.config.PostgresSettings;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import io.bricksllm.testing.TestGateway;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The audit log (issue 21.5) on SQLite and PostgreSQL: who, what, before and after, secrets masked; filters, paging. */
class AuditLogTest {
    static final String PASS = "audit-pass-0123456789";
    static final Map<Kind, TestGateway> GATEWAYS = new EnumMap<>(Kind.class);

    @BeforeAll
    static void start() {
        GATEWAYS.put(Kind.SQLITE, TestGateway.start(Map.of("ADMIN_PASS", PASS)));
        PostgresSettings pg = TestDatabases.freshPostgres();
        GATEWAYS.put(Kind.POSTGRES, TestGateway.start(Map.of("ADMIN_PASS", PASS, "POSTGRESQL_HOSTS", pg.host(),
                "POSTGRESQL_PORT", String.valueOf(pg.port()), "POSTGRESQL_DB_NAME", pg.database(),
                "POSTGRESQL_USERNAME", pg.username())));
    }

    @AfterAll
    static void stop() {
        GATEWAYS.values().forEach(TestGateway::close);
    }

    static Browser signedIn(Kind kind) {
        Browser b = new Browser(GATEWAYS.get(kind).adminUrl());
        assertThat(b.login(PASS).status()).isEqualTo(200);
        return b;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keyCreateUpdateDeleteAreLoggedWithBeforeAndAfterAndNoSecret(Kind kind) {
        Browser b = signedIn(kind);
        String providerSecret = "sk-upstream-" + UUID.randomUUID();
        var setting = b.send("PUT", "/api/provider-settings", "{\"provider\":\"openai\",\"setting\":{\"apikey\":\""
                + providerSecret + "\"}}");
        assertThat(setting.status()).as(setting.body()).isEqualTo(200);
        String secret = "sk-raw-" + UUID.randomUUID();
        var created = b.send("PUT", "/api/key-management/keys", "{\"name\":\"audited\",\"key\":\"" + secret
                + "\",\"isKeyNotHashed\":true,\"settingId\":\"" + setting.json().path("id").asText() + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String keyId = created.json().path("keyId").asText();
        assertThat(b.send("PATCH", "/api/key-management/keys/" + keyId, "{\"name\":\"renamed\"}").status()).isEqualTo(200);
        assertThat(b.send("PATCH", "/api/key-management/keys/no-such-key", "{\"name\":\"x\"}").status()).isEqualTo(404);
        var rotated = b.send("POST", "/api/key-management/keys/" + keyId + "/rotate", "{}");
        assertThat(rotated.status()).isEqualTo(200);
        String generated = rotated.json().path("key").asText();
        assertThat(generated).startsWith("bricks-sk-"); // shown once to the caller, never kept in the log
        assertThat(b.send("DELETE", "/api/key-management/keys/" + keyId, null).status()).isEqualTo(200);

        var log = b.get("/api/audit-log?resourceType=key&resourceId=" + keyId);
        assertThat(log.status()).isEqualTo(200);
        JsonNode rows = log.json();
        assertThat(rows).hasSize(4); // the failed PATCH of an unknown key left no row
        JsonNode delete = rows.get(0), rotate = rows.get(1), update = rows.get(2), create = rows.get(3);
        assertThat(rotate.path("path").asText()).endsWith("/rotate");
        assertThat(rotate.path("after").path("key").asText()).endsWith("****");
        assertThat(log.body()).doesNotContain(generated).doesNotContain(generated.substring(3));
        assertThat(List.of(delete.path("method").asText(), update.path("method").asText(), create.path("method").asText()))
                .containsExactly("DELETE", "PATCH", "PUT");
        for (JsonNode r : rows) {
            assertThat(r.path("subject").asText()).isEqualTo("admin");
            assertThat(r.path("authMethod").asText()).isEqualTo("password");
            assertThat(r.path("address").asText()).isEqualTo("127.0.0.1");
            assertThat(r.path("resourceType").asText()).isEqualTo("key");
            assertThat(r.path("resourceId").asText()).isEqualTo(keyId);
            assertThat(r.path("status").asInt()).isEqualTo(200);
        }
        assertThat(create.path("before").isNull()).isTrue();
        assertThat(create.path("after").path("name").asText()).isEqualTo("audited");
        assertThat(update.path("before").path("name").asText()).isEqualTo("audited");
        assertThat(update.path("after").path("name").asText()).isEqualTo("renamed");
        assertThat(update.path("path").asText()).isEqualTo("/api/key-management/keys/" + keyId);
        assertThat(delete.path("before").path("name").asText()).isEqualTo("renamed");
        assertThat(delete.path("before").path("previousKey").isMissingNode()).isTrue(); // @JsonIgnore'd, never shown
        assertThat(delete.path("after").isNull()).isTrue();
        assertThat(log.body()).doesNotContain(secret).doesNotContain(secret.substring(3));
        assertThat(create.path("after").path("key").asText()).endsWith("****");

        var settingLog = b.get("/api/audit-log?resourceType=provider-setting&resourceId=" + setting.json().path("id").asText());
        assertThat(settingLog.json()).hasSize(1);
        assertThat(settingLog.body()).doesNotContain(providerSecret).doesNotContain(providerSecret.substring(3));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void pagesFollowTheCursorAndFiltersNarrow(Kind kind) {
        Browser b = signedIn(kind);
        String tag = "audit-" + UUID.randomUUID();
        List<String> teams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            teams.add(b.send("POST", "/api/teams", "{\"name\":\"" + tag + i + "\"}").json().path("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = b.get("/api/audit-log?resourceType=team&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.json().forEach(r -> seen.add(r.path("resourceId").asText()));
            cursor = page.raw().headers().firstValue("X-Next-Cursor").orElse(null);
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsAll(teams).doesNotHaveDuplicates();
        // newest first
        assertThat(seen.indexOf(teams.get(4))).isLessThan(seen.indexOf(teams.get(0)));
        assertThat(b.get("/api/audit-log?subject=nobody").json()).isEmpty();
        assertThat(b.get("/api/audit-log?subject=admin&resourceType=team").json().size()).isGreaterThanOrEqualTo(5);
        long future = System.currentTimeMillis() / 1000 + 3600;
        assertThat(b.get("/api/audit-log?start=" + future).json()).isEmpty();
        assertThat(b.get("/api/audit-log?end=" + future).json().size()).isGreaterThanOrEqualTo(5);
        assertThat(b.get("/api/audit-log?cursor=not-a-cursor").status()).isEqualTo(400);
        assertThat(b.get("/api/audit-log?limit=0").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void apiKeyChangesAreLoggedAsTheApiKey(Kind kind) {
        TestGateway gw = GATEWAYS.get(kind);
        String id = gw.admin.withHeader("X-API-KEY", PASS).post("/api/teams", "{\"name\":\"by-api\"}").json().path("id").asText();
        JsonNode rows = gw.admin.withHeader("X-API-KEY", PASS).get("/api/audit-log?resourceId=" + id).json();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("authMethod").asText()).isEqualTo("api-key");
        assertThat(rows.get(0).path("after").path("name").asText()).isEqualTo("by-api");
        assertThat(rows.toString()).doesNotContain(PASS);
    }
}
