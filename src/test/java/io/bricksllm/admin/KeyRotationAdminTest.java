package io.bricksllm.admin;

import io.bricksllm.testing.MutableClock;
import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.assertValidation;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.config.PostgresSettings;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.ConfigSnapshot;
import io.bricksllm.store.SecretHash;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * POST /api/key-management/keys/:id/rotate (issue 19.6) on the embedded SQLite file and on PostgreSQL: what the
 * answer shows, what the proxy's snapshot accepts and until when (asked at chosen instants, so no test waits for a
 * grace period to end), and every refusal.
 */
class KeyRotationAdminTest {
    static final Instant START = Instant.parse("2026-03-01T10:00:00.250Z");
    static final Map<Kind, TestGateway> GATEWAYS = new EnumMap<>(Kind.class);
    static final Map<Kind, MutableClock> CLOCKS = new EnumMap<>(Kind.class);
    static final Map<Kind, String> SETTINGS = new EnumMap<>(Kind.class);

    @BeforeAll
    static void start() {
        for (Kind kind : Kind.values()) CLOCKS.put(kind, new MutableClock(START));
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

    static ConfigSnapshot snapshot(Kind kind) {
        return GATEWAYS.get(kind).gateway().liveConfig().current();
    }

    static long now(Kind kind) {
        return CLOCKS.get(kind).epochSecond();
    }

    /** The key id the proxy finds for {@code secret} at {@code at}, or empty. */
    static Optional<String> authenticates(Kind kind, String secret, Instant at) {
        return snapshot(kind).keyForSecret(secret, at).map(ApiKey::keyId);
    }

    /** A key with limits, so that rotation can be seen to keep them; returns its JSON. */
    static JsonNode key(Kind kind, String secret, String extra) {
        return admin(kind).createKey("""
                {"name":"rot","key":"%s","settingId":"%s","tags":["rot"],"costLimitInUsd":5,"rateLimitOverTime":10,
                 "rateLimitUnit":"m"%s}""".formatted(secret, SETTINGS.get(kind), extra));
    }

    static Reply rotate(Kind kind, String id, String body) {
        return admin(kind).post("/api/key-management/keys/" + id + "/rotate", body);
    }

    static JsonNode rotateOk(Kind kind, String id, String body) {
        Reply r = rotate(kind, id, body);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSuppliedSecretReplacesTheOldOneWhichWorksUntilTheDefaultDayOfGraceEnds(Kind kind) {
        String old = unique("sk-old");
        String fresh = unique("sk-new");
        JsonNode created = key(kind, old, "");
        String id = created.get("keyId").asText();
        assertThat(created.has("rotatedAt")).as("a key never rotated shows no rotation").isFalse();
        assertThat(created.has("previousKeyExpiresAt")).isFalse();

        CLOCKS.get(kind).advance(Duration.ofSeconds(30));
        Instant rotatedAt = CLOCKS.get(kind).instant();
        Reply r = rotate(kind, id, "{\"key\":\"" + fresh + "\"}");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.body()).as("a supplied secret is never echoed").doesNotContain(fresh).doesNotContain(old);
        JsonNode k = r.json();
        assertThat(k.get("keyId").asText()).isEqualTo(id);
        assertThat(k.get("key").asText()).isEqualTo(SecretHash.sha256Hex(fresh));
        assertThat(k.get("rotatedAt").asLong()).isEqualTo(rotatedAt.getEpochSecond());
        assertThat(k.get("updatedAt").asLong()).isEqualTo(rotatedAt.getEpochSecond());
        assertThat(k.get("createdAt").asLong()).isEqualTo(created.get("createdAt").asLong());
        // 24 h after 10:00:30.250, rounded up to the second: never shorter than the grace asked for
        assertThat(k.get("previousKeyExpiresAt").asLong()).isEqualTo(rotatedAt.getEpochSecond() + 86_400 + 1);
        assertThat(k.has("previousKey")).as("the previous secret's hash is never shown").isFalse();
        for (String field : List.of("name", "tags", "costLimitInUsd", "rateLimitOverTime", "rateLimitUnit", "settingId")) {
            assertThat(k.get(field)).as(field).isEqualTo(created.get(field));
        }

        Instant expiry = Instant.ofEpochSecond(k.get("previousKeyExpiresAt").asLong());
        assertThat(authenticates(kind, fresh, rotatedAt)).contains(id);
        assertThat(authenticates(kind, old, rotatedAt)).as("old secret during grace").contains(id);
        assertThat(authenticates(kind, old, expiry.minusMillis(1))).as("old secret just before the end").contains(id);
        assertThat(authenticates(kind, old, expiry)).as("old secret at the end of grace").isEmpty();
        assertThat(authenticates(kind, fresh, expiry.plus(Duration.ofDays(30)))).contains(id);
        assertThat(snapshot(kind).keyForSecret(old)).as("the previous secret is not the key's current one").isEmpty();

        // stored in the new columns, and read back the same by the list call
        List<String> stored = GATEWAYS.get(kind).gateway().database().query(
                "SELECT previous_secret FROM keys WHERE key_id=?", rs -> rs.getString(1), id);
        assertThat(stored).containsExactly(SecretHash.sha256Hex(old));
        JsonNode listed = admin(kind).get("/api/key-management/keys?keyIds=" + id).json().get(0);
        assertThat(listed.get("rotatedAt").asLong()).isEqualTo(rotatedAt.getEpochSecond());
        assertThat(listed.get("previousKeyExpiresAt").asLong()).isEqualTo(expiry.getEpochSecond());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anEmptyBodyGeneratesASecretShownOnlyInThatAnswer(Kind kind) {
        String old = unique("sk-gen-old");
        String id = key(kind, old, "").get("keyId").asText();
        Reply r = admin(kind).send("POST", "/api/key-management/keys/" + id + "/rotate", null);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        String generated = r.json().get("key").asText();
        assertThat(generated).startsWith(KeyRotation.GENERATED_PREFIX).matches("bricks-sk-[A-Za-z0-9_-]{43}");
        assertThat(r.json().get("keyId").asText()).isEqualTo(id);
        Instant now = CLOCKS.get(kind).instant();
        assertThat(authenticates(kind, generated, now)).contains(id);
        assertThat(authenticates(kind, old, now)).contains(id);
        assertThat(r.json().get("previousKeyExpiresAt").asLong()).isEqualTo(now.getEpochSecond() + 86_400 + 1);

        JsonNode listed = admin(kind).get("/api/key-management/keys?keyIds=" + id).json().get(0);
        assertThat(listed.get("key").asText()).as("afterwards only the hash is shown").isEqualTo(SecretHash.sha256Hex(generated));
        assertThat(listed.toString()).doesNotContain(generated);

        String again = rotateOk(kind, id, "{}").get("key").asText();
        assertThat(again).isNotEqualTo(generated).startsWith(KeyRotation.GENERATED_PREFIX);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aZeroGracePeriodStopsTheOldSecretAtOnce(Kind kind) {
        String old = unique("sk-zero-old");
        String fresh = unique("sk-zero-new");
        String id = key(kind, old, "").get("keyId").asText();
        JsonNode k = rotateOk(kind, id, "{\"key\":\"" + fresh + "\",\"gracePeriod\":\"0s\"}");
        Instant now = CLOCKS.get(kind).instant();
        assertThat(k.get("previousKeyExpiresAt").asLong()).isEqualTo(now.getEpochSecond());
        assertThat(authenticates(kind, old, now)).isEmpty();
        assertThat(authenticates(kind, fresh, now)).contains(id);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aGracePeriodInGoSyntaxIsHonouredToTheSecond(Kind kind) {
        String old = unique("sk-g-old");
        String id = key(kind, old, "").get("keyId").asText();
        JsonNode k = rotateOk(kind, id, "{\"key\":\"" + unique("sk-g-new") + "\",\"gracePeriod\":\"1h30m\"}");
        Instant now = CLOCKS.get(kind).instant();
        long expires = k.get("previousKeyExpiresAt").asLong();
        assertThat(expires).isEqualTo(now.plus(Duration.ofMinutes(90)).getEpochSecond() + 1);
        assertThat(authenticates(kind, old, now.plus(Duration.ofMinutes(90)))).contains(id);
        assertThat(authenticates(kind, old, Instant.ofEpochSecond(expires))).isEmpty();
    }

    /** Only one previous secret is kept: rotating during a grace period ends the grace of the one before. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void rotatingAgainReplacesThePreviousSecret(Kind kind) {
        String first = unique("sk-1");
        String second = unique("sk-2");
        String third = unique("sk-3");
        String id = key(kind, first, "").get("keyId").asText();
        rotateOk(kind, id, "{\"key\":\"" + second + "\"}");
        CLOCKS.get(kind).advance(Duration.ofMinutes(5));
        JsonNode k = rotateOk(kind, id, "{\"key\":\"" + third + "\",\"gracePeriod\":\"10m\"}");
        Instant now = CLOCKS.get(kind).instant();
        assertThat(k.get("rotatedAt").asLong()).isEqualTo(now.getEpochSecond());
        assertThat(authenticates(kind, first, now)).as("the secret before the previous one").isEmpty();
        assertThat(authenticates(kind, second, now)).contains(id);
        assertThat(authenticates(kind, third, now)).contains(id);
        assertThat(authenticates(kind, second, now.plus(Duration.ofMinutes(11)))).isEmpty();
        // rotating back to the first secret is allowed: nothing answers to it any more
        rotateOk(kind, id, "{\"key\":\"" + first + "\"}");
        assertThat(authenticates(kind, first, CLOCKS.get(kind).instant())).contains(id);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aPatchAfterARotationKeepsTheGracePeriod(Kind kind) {
        String old = unique("sk-p-old");
        String id = key(kind, old, "").get("keyId").asText();
        JsonNode rotated = rotateOk(kind, id, "{\"key\":\"" + unique("sk-p-new") + "\"}");
        Reply p = admin(kind).patch("/api/key-management/keys/" + id, "{\"name\":\"renamed\",\"costLimitInUsd\":7}");
        assertThat(p.status()).as("%s", p).isEqualTo(200);
        assertThat(p.json().get("previousKeyExpiresAt")).isEqualTo(rotated.get("previousKeyExpiresAt"));
        assertThat(p.json().get("rotatedAt")).isEqualTo(rotated.get("rotatedAt"));
        assertThat(authenticates(kind, old, CLOCKS.get(kind).instant())).contains(id);
    }

    /** A key stored raw (isKeyNotHashed) is stored hashed from its rotation on; its raw secret still has its grace. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRawStoredKeyIsHashedByRotationAndItsOldSecretKeepsItsGrace(Kind kind) {
        String old = unique("sk-raw-old");
        String fresh = unique("sk-raw-new");
        String id = key(kind, old, ",\"isKeyNotHashed\":true").get("keyId").asText();
        Reply r = rotate(kind, id, "{\"key\":\"" + fresh + "\"}");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.body()).doesNotContain(fresh);
        assertThat(r.json().get("key").asText()).isEqualTo(SecretHash.sha256Hex(fresh));
        assertThat(r.json().get("isKeyNotHashed").asBoolean()).isFalse();
        Instant now = CLOCKS.get(kind).instant();
        assertThat(authenticates(kind, old, now)).contains(id);
        assertThat(authenticates(kind, fresh, now)).contains(id);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSecretAnotherKeyAnswersToIsRefusedLikeADuplicateOnCreation(Kind kind) {
        String taken = unique("sk-taken");
        String rawTaken = unique("sk-raw-taken");
        key(kind, taken, "");
        key(kind, rawTaken, ",\"isKeyNotHashed\":true");
        String graceOld = unique("sk-grace-old");
        String otherId = key(kind, graceOld, "").get("keyId").asText();
        rotateOk(kind, otherId, "{\"key\":\"" + unique("sk-grace-new") + "\"}");
        String own = unique("sk-own");
        String id = key(kind, own, "").get("keyId").asText();

        for (String secret : List.of(taken, rawTaken, graceOld)) {
            Reply r = rotate(kind, id, "{\"key\":\"" + secret + "\"}");
            JsonNode e = assertError(r, 409, "/errors/conflict");
            assertThat(e.get("detail").asText()).isEqualTo("a key with this secret already exists");
            assertThat(r.body()).doesNotContain(secret);
        }
        // creation refuses a secret still in another key's grace period the same way
        Reply create = admin(kind).put("/api/key-management/keys", "{\"name\":\"n\",\"key\":\"" + graceOld
                + "\",\"settingId\":\"" + SETTINGS.get(kind) + "\"}");
        assertThat(assertError(create, 409, "/errors/conflict").get("detail").asText()).isEqualTo("a key with this secret already exists");
        Reply same = rotate(kind, id, "{\"key\":\"" + own + "\"}");
        assertValidation(same, "field key must differ from the key's current secret");
        assertThat(same.body()).doesNotContain(own);
        assertThat(authenticates(kind, own, CLOCKS.get(kind).instant())).as("nothing changed").contains(id);
        assertThat(admin(kind).get("/api/key-management/keys?keyIds=" + id).json().get(0).has("rotatedAt")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unknownRevokedAndMalformedAreRefusedNamingTheProblem(Kind kind) {
        Reply unknown = rotate(kind, "no-such-key", "{}");
        assertThat(assertError(unknown, 404, "/errors/not-found").get("detail").asText()).isEqualTo("key not found for id: no-such-key");

        String revokedSecret = unique("sk-revoked");
        String revoked = key(kind, revokedSecret, "").get("keyId").asText();
        assertThat(admin(kind).patch("/api/key-management/keys/" + revoked, "{\"revoked\":true}").status()).isEqualTo(200);
        JsonNode e = assertError(rotate(kind, revoked, "{}"), 409, "/errors/conflict");
        assertThat(e.get("detail").asText()).contains("revoked");

        String id = key(kind, unique("sk-bad"), "").get("keyId").asText();
        String secret = unique("sk-never-echoed");
        assertValidation(rotate(kind, id, "{\"gracePeriod\":\"a day\",\"key\":\"" + secret + "\"}"),
                "field gracePeriod is not a duration such as \"24h\", \"90m\" or \"0s\"");
        assertValidation(rotate(kind, id, "{\"gracePeriod\":\"1d\"}"), "field gracePeriod is not a duration such as \"24h\", \"90m\" or \"0s\"");
        assertValidation(rotate(kind, id, "{\"gracePeriod\":\"-1s\"}"), "field gracePeriod must not be negative");
        assertValidation(rotate(kind, id, "{\"key\":\"  \"}"), "fields [key] are invalid");
        assertValidation(rotate(kind, id, "{\"key\":\"\"}"), "fields [key] are invalid");
        assertValidation(rotate(kind, id, "{\"key\":\" sk-padded \"}"), "fields [key] are invalid");
        assertThat(assertError(rotate(kind, id, "{\"gracePeriod\":5}"), 400, "/errors/json-unmarshal").get("detail").asText())
                .contains("gracePeriod");
        Reply numeric = rotate(kind, id, "{\"key\":123456789}");
        assertThat(assertError(numeric, 400, "/errors/json-unmarshal").get("detail").asText()).contains("key");
        assertThat(numeric.body()).doesNotContain("123456789");
        assertError(rotate(kind, id, "{\"key\":"), 400, "/errors/json-unmarshal");
        assertError(rotate(kind, id, "[]"), 400, "/errors/json-unmarshal");
        assertThat(admin(kind).get("/api/key-management/keys?keyIds=" + id).json().get(0).has("rotatedAt"))
                .as("no refused call rotated the key").isFalse();
    }
}
