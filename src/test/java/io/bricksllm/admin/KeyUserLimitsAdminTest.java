package io.bricksllm.admin;

import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.assertValidation;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.config.PostgresSettings;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.ConfigSnapshot;
import io.bricksllm.store.EndUser;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import io.bricksllm.testing.TestGateway;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Token limit and concurrency cap on keys and end users (issue 19.2): set on create, changed by PATCH like the other
 * limits, validated like a team's, stored, and in the configuration snapshot; absent from the JSON when not set, on
 * the embedded SQLite file and on PostgreSQL.
 */
class KeyUserLimitsAdminTest {
    static final String KEYS = "/api/key-management/keys";
    static final Map<Kind, TestGateway> GATEWAYS = new EnumMap<>(Kind.class);
    static final Map<Kind, String> SETTINGS = new EnumMap<>(Kind.class);
    static final List<String> NEW_FIELDS = List.of("tokenLimitOverTime", "tokenLimitUnit", "maxConcurrentRequests");

    @BeforeAll
    static void start() {
        GATEWAYS.put(Kind.SQLITE, TestGateway.start());
        PostgresSettings pg = TestDatabases.freshPostgres();
        GATEWAYS.put(Kind.POSTGRES, TestGateway.start(Map.of("POSTGRESQL_HOSTS", pg.host(), "POSTGRESQL_PORT",
                String.valueOf(pg.port()), "POSTGRESQL_DB_NAME", pg.database(), "POSTGRESQL_USERNAME", pg.username())));
        for (Kind kind : Kind.values()) SETTINGS.put(kind, admin(kind).createSetting("openai", Map.of("apikey", "sk-upstream-0123456789")));
    }

    @AfterAll
    static void stop() {
        GATEWAYS.values().forEach(TestGateway::close);
    }

    static AdminClient admin(Kind kind) {
        return GATEWAYS.get(kind).admin;
    }

    static ConfigSnapshot snapshot(Kind kind) {
        return GATEWAYS.get(kind).gateway().liveConfig().current();
    }

    static JsonNode ok(Reply r) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    static Reply createKey(Kind kind, String extra) {
        return admin(kind).put(KEYS, "{\"name\":\"k\",\"key\":\"" + unique("sk") + "\",\"settingId\":\"" + SETTINGS.get(kind) + "\""
                + extra + "}");
    }

    static Reply createUser(Kind kind, String extra) {
        return admin(kind).post("/api/users", "{\"name\":\"u\",\"userId\":\"" + unique("uid") + "\"" + extra + "}");
    }

    static void assertLimits(JsonNode n, long tokens, String unit, int concurrent) {
        assertThat(n.get("tokenLimitOverTime").asLong()).isEqualTo(tokens);
        assertThat(n.get("tokenLimitUnit").asText()).isEqualTo(unit);
        assertThat(n.get("maxConcurrentRequests").asInt()).isEqualTo(concurrent);
    }

    static void assertNoLimitFields(JsonNode n) {
        for (String f : NEW_FIELDS) assertThat(n.has(f)).as("%s absent when not set: %s", f, n).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aKeysTokenLimitAndConcurrencyCapAreCreatedPatchedStoredAndInTheSnapshot(Kind kind) {
        assertNoLimitFields(ok(createKey(kind, "")));
        JsonNode k = ok(createKey(kind, ",\"tokenLimitOverTime\":20000000000,\"tokenLimitUnit\":\"m\",\"maxConcurrentRequests\":5"));
        String id = k.get("keyId").asText();
        assertLimits(k, 20_000_000_000L, "m", 5);
        ApiKey inSnapshot = snapshot(kind).keysById().get(id);
        assertThat(inSnapshot.tokenLimitOverTime()).isEqualTo(20_000_000_000L);
        assertThat(inSnapshot.tokenLimitUnit()).isEqualTo("m");
        assertThat(inSnapshot.maxConcurrentRequests()).isEqualTo(5);

        // one limit alone; the others and the rest of the key are kept
        JsonNode p = ok(admin(kind).patch(KEYS + "/" + id, "{\"maxConcurrentRequests\":9}"));
        assertLimits(p, 20_000_000_000L, "m", 9);
        assertThat(p.get("name").asText()).isEqualTo("k");
        p = ok(admin(kind).patch(KEYS + "/" + id, "{\"tokenLimitOverTime\":100,\"tokenLimitUnit\":\"h\"}"));
        assertLimits(p, 100, "h", 9);
        p = ok(admin(kind).patch(KEYS + "/" + id, "{\"name\":\"renamed\"}"));
        assertLimits(p, 100, "h", 9);
        assertThat(snapshot(kind).keysById().get(id).tokenLimitUnit()).isEqualTo("h");
        // what the list endpoints read back from the database
        JsonNode listed = ok(admin(kind).post("/api/v2/key-management/keys", "{\"keyIds\":[\"" + id + "\"]}")).get("keys").get(0);
        assertLimits(listed, 100, "h", 9);
        assertLimits(ok(admin(kind).get(KEYS + "?keyIds=" + id)).get(0), 100, "h", 9);

        // 0 and "" remove them: the key reads as one that never had them
        p = ok(admin(kind).patch(KEYS + "/" + id, "{\"tokenLimitOverTime\":0,\"tokenLimitUnit\":\"\",\"maxConcurrentRequests\":0}"));
        assertNoLimitFields(p);
        assertNoLimitFields(ok(admin(kind).get(KEYS + "?keyIds=" + id)).get(0));
        assertThat(snapshot(kind).keysById().get(id).maxConcurrentRequests()).isZero();
        assertThat(snapshot(kind).keysById().get(id).tokenLimitOverTime()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aUsersTokenLimitAndConcurrencyCapAreCreatedPatchedStoredAndInTheSnapshot(Kind kind) {
        assertNoLimitFields(ok(createUser(kind, "")));
        JsonNode u = ok(createUser(kind, ",\"tokenLimitOverTime\":5000,\"tokenLimitUnit\":\"d\",\"maxConcurrentRequests\":2"));
        String id = u.get("id").asText();
        String userId = u.get("userId").asText();
        assertLimits(u, 5000, "d", 2);
        EndUser inSnapshot = snapshot(kind).usersByUserId().get(userId).get(0);
        assertThat(inSnapshot.tokenLimitOverTime()).isEqualTo(5000);
        assertThat(inSnapshot.tokenLimitUnit()).isEqualTo("d");
        assertThat(inSnapshot.maxConcurrentRequests()).isEqualTo(2);

        JsonNode p = ok(admin(kind).patch("/api/users/" + id, "{\"maxConcurrentRequests\":3}"));
        assertLimits(p, 5000, "d", 3);
        // by user id, as the other limits
        p = ok(admin(kind).patch("/api/users?userId=" + userId, "{\"tokenLimitOverTime\":7,\"tokenLimitUnit\":\"s\"}"));
        assertLimits(p, 7, "s", 3);
        assertLimits(ok(admin(kind).get("/api/users?userIds=" + userId)).get(0), 7, "s", 3);
        assertThat(snapshot(kind).usersByUserId().get(userId).get(0).maxConcurrentRequests()).isEqualTo(3);

        p = ok(admin(kind).patch("/api/users/" + id, "{\"tokenLimitOverTime\":0,\"tokenLimitUnit\":\"\",\"maxConcurrentRequests\":0}"));
        assertNoLimitFields(p);
        assertNoLimitFields(ok(admin(kind).get("/api/users?userIds=" + userId)).get(0));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void badLimitsAreRefusedWithTheTeamsMessagesAndNothingIsWritten(Kind kind) {
        String key = ok(createKey(kind, ",\"maxConcurrentRequests\":4")).get("keyId").asText();
        String user = ok(createUser(kind, ",\"maxConcurrentRequests\":4")).get("id").asText();
        for (String[] target : List.of(new String[] {"key", KEYS + "/" + key}, new String[] {"user", "/api/users/" + user})) {
            boolean isKey = target[0].equals("key");
            java.util.function.Function<String, Reply> create = extra -> isKey ? createKey(kind, extra) : createUser(kind, extra);
            assertValidation(create.apply(",\"tokenLimitOverTime\":-5,\"tokenLimitUnit\":\"m\",\"maxConcurrentRequests\":-1"),
                    "fields [tokenLimitOverTime, maxConcurrentRequests] are invalid");
            assertValidation(create.apply(",\"tokenLimitOverTime\":5"),
                    "token limit unit can not be empty if token limit over time is specified");
            assertValidation(create.apply(",\"tokenLimitUnit\":\"m\""),
                    "token limit over time can not be empty if token limit unit is specified");
            assertValidation(create.apply(",\"tokenLimitOverTime\":5,\"tokenLimitUnit\":\"mo\""), "token limit unit can not be identified");
            assertError(create.apply(",\"maxConcurrentRequests\":\"x\""), 400, "/errors/json-unmarshal");
            assertError(create.apply(",\"maxConcurrentRequests\":3000000000"), 400, "/errors/json-unmarshal");

            String path = target[1];
            assertValidation(admin(kind).patch(path, "{\"maxConcurrentRequests\":-2}"), "fields [maxConcurrentRequests] are invalid");
            assertValidation(admin(kind).patch(path, "{\"tokenLimitOverTime\":-2,\"tokenLimitUnit\":\"m\"}"),
                    "fields [tokenLimitOverTime] are invalid");
            assertValidation(admin(kind).patch(path, "{\"tokenLimitOverTime\":5}"),
                    "token limit over time and token limit unit must be given together");
            assertValidation(admin(kind).patch(path, "{\"tokenLimitUnit\":\"m\"}"),
                    "token limit over time and token limit unit must be given together");
            assertValidation(admin(kind).patch(path, "{\"tokenLimitOverTime\":5,\"tokenLimitUnit\":\"w\"}"),
                    "token limit unit can not be identified");
            assertValidation(admin(kind).patch(path, "{\"tokenLimitOverTime\":0,\"tokenLimitUnit\":\"m\"}"),
                    "token limit over time can not be empty if token limit unit is specified");
        }
        assertThat(snapshot(kind).keysById().get(key).maxConcurrentRequests()).as("nothing written").isEqualTo(4);
        assertThat(snapshot(kind).keysById().get(key).tokenLimitOverTime()).isZero();
        JsonNode u = ok(admin(kind).patch("/api/users/" + user, "{}"));
        assertThat(u.get("maxConcurrentRequests").asInt()).as("nothing written").isEqualTo(4);
        assertThat(u.has("tokenLimitOverTime")).isFalse();
    }
}
