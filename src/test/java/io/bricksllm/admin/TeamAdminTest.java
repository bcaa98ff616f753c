package io.bricksllm.admin;

import io.bricksllm.testing.MutableClock;
import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.assertValidation;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.config.PostgresSettings;
import io.bricksllm.store.Team;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** /api/teams (issue 19.1) and teamId on keys and end users, on the embedded SQLite file and on PostgreSQL. */
class TeamAdminTest {
    static final String PATH = "/api/teams";
    static final Map<Kind, TestGateway> GATEWAYS = new EnumMap<>(Kind.class);
    static final Map<Kind, MutableClock> CLOCKS = new EnumMap<>(Kind.class);
    static final Map<Kind, String> SETTINGS = new EnumMap<>(Kind.class);

    @BeforeAll
    static void start() {
        for (Kind kind : Kind.values()) CLOCKS.put(kind, new MutableClock(Instant.parse("2026-03-01T10:00:00Z")));
        GATEWAYS.put(Kind.SQLITE, TestGateway.start(Map.of(), CLOCKS.get(Kind.SQLITE)));
        PostgresSettings pg = TestDatabases.freshPostgres();
        GATEWAYS.put(Kind.POSTGRES, TestGateway.start(Map.of("POSTGRESQL_HOSTS", pg.host(), "POSTGRESQL_PORT",
                String.valueOf(pg.port()), "POSTGRESQL_DB_NAME", pg.database(), "POSTGRESQL_USERNAME", pg.username()),
                CLOCKS.get(Kind.POSTGRES)));
        for (Kind kind : Kind.values()) SETTINGS.put(kind, admin(kind).createSetting("openai", Map.of("apikey", "sk-upstream-0123456789")));
    }

    @AfterAll
    static void stop() {
        GATEWAYS.values().forEach(TestGateway::close);
    }

    static AdminClient admin(Kind kind) {
        return GATEWAYS.get(kind).admin;
    }

    static JsonNode ok(Reply r) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    static JsonNode team(Kind kind, String json) {
        return ok(admin(kind).post(PATH, json));
    }

    static Reply key(Kind kind, String extra) {
        return admin(kind).put("/api/key-management/keys", "{\"name\":\"k\",\"key\":\"" + unique("sk") + "\",\"settingId\":\""
                + SETTINGS.get(kind) + "\"" + extra + "}");
    }

    static Map<String, Team> snapshotTeams(Kind kind) {
        return GATEWAYS.get(kind).gateway().liveConfig().current().teamsById();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void createGetListPatchDelete(Kind kind) {
        String tag = unique("tag");
        JsonNode t = team(kind, """
                {"name":"platform","tags":["%s"],"costLimitInUsd":100,"costLimitInUsdOverTime":10,"costLimitInUsdUnit":"d",
                 "rateLimitOverTime":100,"rateLimitUnit":"m","tokenLimitOverTime":20000,"tokenLimitUnit":"m",
                 "maxConcurrentRequests":5,"allowedModels":["gpt-4o"],"allowedProviders":["openai"]}""".formatted(tag));
        String id = t.get("id").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(t.get("name").asText()).isEqualTo("platform");
        assertThat(t.get("createdAt").asLong()).isEqualTo(CLOCKS.get(kind).epochSecond());
        assertThat(t.get("costLimitInUsd").asDouble()).isEqualTo(100);
        assertThat(t.get("costLimitInUsdOverTime").asDouble()).isEqualTo(10);
        assertThat(t.get("costLimitInUsdUnit").asText()).isEqualTo("d");
        assertThat(t.get("rateLimitOverTime").asInt()).isEqualTo(100);
        assertThat(t.get("rateLimitUnit").asText()).isEqualTo("m");
        assertThat(t.get("tokenLimitOverTime").asLong()).isEqualTo(20000);
        assertThat(t.get("tokenLimitUnit").asText()).isEqualTo("m");
        assertThat(t.get("maxConcurrentRequests").asInt()).isEqualTo(5);
        assertThat(t.get("allowedModels").toString()).isEqualTo("[\"gpt-4o\"]");
        assertThat(t.get("allowedProviders").toString()).isEqualTo("[\"openai\"]");
        assertThat(ok(admin(kind).get(PATH + "/" + id))).isEqualTo(t);
        assertThat(snapshotTeams(kind).get(id).maxConcurrentRequests()).as("the snapshot holds the team").isEqualTo(5);

        team(kind, "{\"name\":\"other\",\"tags\":[\"" + unique("tag") + "\"]}");
        JsonNode listed = ok(admin(kind).get(PATH + "?tags=" + tag));
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(id);
        assertThat(ok(admin(kind).get(PATH)).size()).isGreaterThanOrEqualTo(2);

        CLOCKS.get(kind).advance(Duration.ofSeconds(7));
        JsonNode patched = ok(admin(kind).patch(PATH + "/" + id, "{\"name\":\"plat\",\"maxConcurrentRequests\":7,"
                + "\"tokenLimitOverTime\":0,\"tokenLimitUnit\":\"\"}"));
        assertThat(patched.get("name").asText()).isEqualTo("plat");
        assertThat(patched.get("maxConcurrentRequests").asInt()).isEqualTo(7);
        assertThat(patched.get("tokenLimitOverTime").asLong()).isZero();
        assertThat(patched.get("tokenLimitUnit").asText()).isEmpty();
        assertThat(patched.get("rateLimitOverTime").asInt()).as("absent fields are kept").isEqualTo(100);
        assertThat(patched.get("createdAt").asLong()).isEqualTo(t.get("createdAt").asLong());
        assertThat(patched.get("updatedAt").asLong()).isEqualTo(t.get("createdAt").asLong() + 7);
        assertThat(ok(admin(kind).get(PATH + "/" + id))).isEqualTo(patched);
        assertThat(snapshotTeams(kind).get(id).maxConcurrentRequests()).isEqualTo(7);

        assertThat(admin(kind).delete(PATH + "/" + id).status()).isEqualTo(200);
        assertError(admin(kind).get(PATH + "/" + id), 404, "/errors/not-found");
        assertThat(snapshotTeams(kind)).doesNotContainKey(id);
        assertError(admin(kind).delete(PATH + "/" + id), 404, "/errors/not-found");
        assertError(admin(kind).patch(PATH + "/" + id, "{\"name\":\"x\"}"), 404, "/errors/not-found");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void validationNamesTheFields(Kind kind) {
        assertValidation(admin(kind).post(PATH, "{\"name\":\"\"}"), "fields [name] are invalid");
        assertValidation(admin(kind).post(PATH, "{\"name\":\"t\",\"costLimitInUsd\":-1,\"tokenLimitOverTime\":-5,"
                + "\"maxConcurrentRequests\":-1,\"allowedProviders\":[\"\"]}"),
                "fields [costLimitInUsd, tokenLimitOverTime, maxConcurrentRequests, allowedProviders] are invalid");
        assertValidation(admin(kind).post(PATH, "{\"name\":\"t\",\"rateLimitOverTime\":5}"),
                "rate limit unit can not be empty if rate limit over time is specified");
        assertValidation(admin(kind).post(PATH, "{\"name\":\"t\",\"costLimitInUsdOverTime\":5,\"costLimitInUsdUnit\":\"w\"}"),
                "cost limit unit can not be identified");
        assertValidation(admin(kind).post(PATH, "{\"name\":\"t\",\"tokenLimitOverTime\":5}"),
                "token limit unit can not be empty if token limit over time is specified");
        assertValidation(admin(kind).post(PATH, "{\"name\":\"t\",\"tokenLimitUnit\":\"m\"}"),
                "token limit over time can not be empty if token limit unit is specified");
        assertValidation(admin(kind).post(PATH, "{\"name\":\"t\",\"tokenLimitOverTime\":5,\"tokenLimitUnit\":\"mo\"}"),
                "token limit unit can not be identified");
        assertError(admin(kind).post(PATH, "{\"name\":\"t\",\"maxConcurrentRequests\":\"x\"}"), 400, "/errors/json-unmarshal");

        String id = team(kind, "{\"name\":\"v\"}").get("id").asText();
        assertValidation(admin(kind).patch(PATH + "/" + id, "{\"tokenLimitOverTime\":5}"),
                "token limit over time and token limit unit must be given together");
        assertValidation(admin(kind).patch(PATH + "/" + id, "{\"rateLimitUnit\":\"m\"}"),
                "rate limit over time can not be empty if rate limit unit is specified");
        assertValidation(admin(kind).patch(PATH + "/" + id, "{\"maxConcurrentRequests\":-2}"), "fields [maxConcurrentRequests] are invalid");
        assertThat(ok(admin(kind).get(PATH + "/" + id)).get("maxConcurrentRequests").asInt()).as("nothing written").isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keysAndUsersNameATeamAndDeleteIsRefusedWhileTheyDo(Kind kind) {
        String teamId = team(kind, "{\"name\":\"owners\"}").get("id").asText();
        String other = team(kind, "{\"name\":\"others\"}").get("id").asText();

        assertValidation(key(kind, ",\"teamId\":\"no-such-team\""), "team is not found for teamId: no-such-team");
        JsonNode k = ok(key(kind, ",\"teamId\":\"" + teamId + "\""));
        String keyId = k.get("keyId").asText();
        assertThat(k.get("teamId").asText()).isEqualTo(teamId);
        assertThat(GATEWAYS.get(kind).gateway().liveConfig().current().keysById().get(keyId).teamId()).isEqualTo(teamId);
        assertThat(ok(key(kind, "")).has("teamId")).as("a key in no team shows none").isFalse();

        assertValidation(admin(kind).patch("/api/key-management/keys/" + keyId, "{\"teamId\":\"nope\"}"),
                "team is not found for teamId: nope");
        JsonNode moved = ok(admin(kind).patch("/api/key-management/keys/" + keyId, "{\"teamId\":\"" + other + "\"}"));
        assertThat(moved.get("teamId").asText()).isEqualTo(other);
        JsonNode kept = ok(admin(kind).patch("/api/key-management/keys/" + keyId, "{\"name\":\"renamed\"}"));
        assertThat(kept.get("teamId").asText()).as("a patch without teamId keeps the team").isEqualTo(other);

        assertValidation(admin(kind).post("/api/users", "{\"name\":\"u\",\"teamId\":\"nope\"}"), "team is not found for teamId: nope");
        JsonNode user = ok(admin(kind).post("/api/users", "{\"name\":\"u\",\"userId\":\"" + unique("uid") + "\",\"teamId\":\"" + teamId + "\"}"));
        assertThat(user.get("teamId").asText()).isEqualTo(teamId);

        // team has a user; other has a key: both refused, nothing deleted
        JsonNode refused = assertError(admin(kind).delete(PATH + "/" + teamId), 409, "/errors/conflict");
        assertThat(refused.get("detail").asText()).contains("0 key(s) and 1 user(s)");
        assertThat(assertError(admin(kind).delete(PATH + "/" + other), 409, "/errors/conflict").get("detail").asText())
                .contains("1 key(s) and 0 user(s)");
        assertThat(admin(kind).get(PATH + "/" + other).status()).isEqualTo(200);

        ok(admin(kind).patch("/api/users/" + user.get("id").asText(), "{\"teamId\":\"\"}"));
        ok(admin(kind).patch("/api/key-management/keys/" + keyId, "{\"teamId\":\"\"}"));
        assertThat(admin(kind).delete(PATH + "/" + teamId).status()).isEqualTo(200);
        assertThat(admin(kind).delete(PATH + "/" + other).status()).isEqualTo(200);
        List<String> left = new ArrayList<>();
        ok(admin(kind).get(PATH)).forEach(t -> left.add(t.get("id").asText()));
        assertThat(left).doesNotContain(teamId, other);
    }
}
