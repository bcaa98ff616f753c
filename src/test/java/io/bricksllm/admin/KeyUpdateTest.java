package io.bricksllm.admin;

import io.bricksllm.testing.MutableClock;
import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.assertValidation;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.SecretHash;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** PATCH /api/key-management/keys/:id: the present/absent rules of BEHAVIOUR.md §3.4.3 and what gets written. */
class KeyUpdateTest {
    static final String PATH = "/api/key-management/keys/";
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-02-01T00:00:00Z"));
    static TestGateway gw;
    static AdminClient admin;
    static String setting;
    static String setting2;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(), CLOCK);
        admin = gw.admin;
        setting = admin.createSetting("openai", Map.of("apikey", "sk-openai-upstream-secret"));
        setting2 = admin.createSetting("anthropic", Map.of("apikey", "sk-ant-upstream-secret"));
        gw.gateway().database().update("INSERT INTO policies (id, created_at, updated_at, name, config, regex_config, custom_config)"
                + " VALUES (?,?,?,?,?,?,?)", "policy-ok", 1, 1, "p", "{}", "{}", "{}");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** A key with limits, tags and paths set, so that every update has something to keep or change. */
    static JsonNode newKey() {
        return admin.createKey("""
                {"name":"orig","key":"%s","settingId":"%s","tags":["t1","t2"],"costLimitInUsd":5,
                 "costLimitInUsdOverTime":1,"costLimitInUsdUnit":"d","rateLimitOverTime":10,"rateLimitUnit":"m",
                 "ttl":"24h","allowedPaths":[{"path":"/p","method":"GET"}],"shouldLogRequest":true}""".formatted(unique("sk"), setting));
    }

    static Reply patch(String id, String body) {
        return admin.patch(PATH + id, body.replace("SETTING2", setting2).replace("SETTING", setting));
    }

    static JsonNode patchOk(String id, String body) {
        Reply r = patch(id, body);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    static Stream<Arguments> rejectedPatches() {
        return Stream.of(
                // 1.
                arguments("both settingId and settingIds", """
                        {"settingId":"SETTING","settingIds":["SETTING2"]}""", "either settingId or settingIds"),
                // 2. collected field checks
                arguments("empty tag", """
                        {"tags":["x",""]}""", "fields [tags] are invalid"),
                arguments("negative costLimitInUsd", """
                        {"costLimitInUsd":-1}""", "fields [costLimitInUsd] are invalid"),
                arguments("costLimitInUsd too large to be a number", """
                        {"costLimitInUsd":1e400}""", "fields [costLimitInUsd] are invalid"),
                arguments("null allowedPaths entry", """
                        {"allowedPaths":[null]}""", "field allowedPaths[0] must not be null"),
                arguments("null tag", """
                        {"tags":[null]}""", "field tags[0] must not be null"),
                arguments("empty settingIds entry", """
                        {"settingIds":["SETTING",""]}""", "fields [settingIds[1]] are invalid"),
                arguments("allowedPaths entry without path", """
                        {"allowedPaths":[{"path":"","method":"GET"}]}""", "fields [allowedPaths.0.path] are invalid"),
                arguments("allowedPaths entry without method", """
                        {"allowedPaths":[{"path":"/a","method":"GET"},{"path":"/b"}]}""", "fields [allowedPaths.1.method] are invalid"),
                arguments("empty policyId", """
                        {"policyId":""}""", "fields [policyId] are invalid"),
                arguments("every invalid field is collected", """
                        {"tags":[""],"costLimitInUsd":-2,"settingIds":[""],"allowedPaths":[{"method":"GET"}],"policyId":""}""",
                        "fields [tags, costLimitInUsd, settingIds[0], allowedPaths.0.path, policyId] are invalid"),
                // 3.
                arguments("rate limit unit without amount", """
                        {"rateLimitUnit":"m"}""", "rate limit over time can not be empty if rate limit unit is specified"),
                arguments("rate limit unit with null amount", """
                        {"rateLimitUnit":"m","rateLimitOverTime":null}""", "rate limit over time can not be empty if rate limit unit is specified"),
                arguments("empty rate limit unit with a non-zero amount", """
                        {"rateLimitUnit":"","rateLimitOverTime":5}""", "rate limit over time must be 0 if rate limit unit is empty"),
                // 4.
                arguments("cost limit unit without amount", """
                        {"costLimitInUsdUnit":"d"}""", "cost limit over time can not be empty if cost limit unit is specified"),
                arguments("empty cost limit unit with a non-zero amount", """
                        {"costLimitInUsdUnit":"","costLimitInUsdOverTime":2}""", "cost limit over time must be 0 if cost limit unit is empty"),
                // 5.
                arguments("rate limit amount without unit", """
                        {"rateLimitOverTime":5}""", "rate limit unit can not be empty if rate limit over time is specified"),
                arguments("zero rate limit amount with a unit", """
                        {"rateLimitOverTime":0,"rateLimitUnit":"m"}""", "rate limit unit has to be empty if rate limit over time is 0"),
                arguments("unknown rate limit unit", """
                        {"rateLimitOverTime":5,"rateLimitUnit":"mo"}""", "rate limit unit can not be identified"),
                // 6.
                arguments("cost limit amount without unit", """
                        {"costLimitInUsdOverTime":1.5}""", "cost limit unit can not be empty if cost limit over time is specified"),
                arguments("zero cost limit amount with a unit", """
                        {"costLimitInUsdOverTime":0,"costLimitInUsdUnit":"d"}""", "cost limit unit has to be empty if cost limit over time is 0"),
                arguments("unknown cost limit unit", """
                        {"costLimitInUsdOverTime":1.5,"costLimitInUsdUnit":"s"}""", "cost limit unit can not be identified"),
                // 8. references
                arguments("unknown settingId", """
                        {"settingId":"no-such-setting"}""", "provider setting is not found: no-such-setting"),
                arguments("unknown entry in settingIds", """
                        {"settingIds":["SETTING2","no-such-setting"]}""", "provider settings are not found: no-such-setting"),
                arguments("unknown policyId", """
                        {"policyId":"no-such-policy"}""", "policy is not found for id: no-such-policy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedPatches")
    void updateKeyWithInvalidBodyIsRejectedAndChangesNothing(String rule, String body, String detail) {
        JsonNode before = newKey();
        String id = before.get("keyId").asText();
        Reply r = patch(id, body);
        assertValidation(r, detail);
        assertThat(r.json().get("instance").asText()).isEqualTo("/api/key-management/keys/:id");
        assertThat(gw.gateway().liveConfig().current().keysById().get(id).updatedAt()).isEqualTo(before.get("updatedAt").asLong());
    }

    @Test
    void updateOfAnUnknownKeyIsNotFound() {
        JsonNode e = assertError(patch("no-such-key", "{\"name\":\"x\"}"), 404, "/errors/not-found");
        assertThat(e.get("detail").asText()).isEqualTo("key not found for id: no-such-key");
        assertThat(e.get("title").asText()).isEqualTo("update key failed");
    }

    @Test
    void emptyPatchOnlyTouchesUpdatedAt() {
        JsonNode k = newKey();
        CLOCK.advance(Duration.ofSeconds(30));
        JsonNode after = patchOk(k.get("keyId").asText(), "{}");
        assertThat(after.get("updatedAt").asLong()).isEqualTo(CLOCK.epochSecond()).isGreaterThan(k.get("updatedAt").asLong());
        ((com.fasterxml.jackson.databind.node.ObjectNode) after).remove("updatedAt");
        ((com.fasterxml.jackson.databind.node.ObjectNode) k).remove("updatedAt");
        assertThat(after).isEqualTo(k);
    }

    @Test
    void nameIsReplacedWhenNonEmptyAndKeptWhenEmpty() {
        String id = newKey().get("keyId").asText();
        assertThat(patchOk(id, "{\"name\":\"renamed\"}").get("name").asText()).isEqualTo("renamed");
        assertThat(patchOk(id, "{\"name\":\"\"}").get("name").asText()).isEqualTo("renamed");
        assertThat(patchOk(id, "{\"name\":null}").get("name").asText()).isEqualTo("renamed");
    }

    @Test
    void tagsAreReplacedButNotClearedByAnEmptyArray() {
        String id = newKey().get("keyId").asText();
        assertThat(patchOk(id, "{\"tags\":[\"new\"]}").get("tags").toString()).isEqualTo("[\"new\"]");
        assertThat(patchOk(id, "{\"tags\":[]}").get("tags").toString()).isEqualTo("[\"new\"]");
    }

    @Test
    void allowedPathsAreReplacedClearedByAnEmptyArrayAndKeptWhenAbsent() {
        String id = newKey().get("keyId").asText();
        assertThat(patchOk(id, "{\"name\":\"x\"}").get("allowedPaths").toString()).isEqualTo("[{\"path\":\"/p\",\"method\":\"GET\"}]");
        assertThat(patchOk(id, "{\"allowedPaths\":[{\"path\":\"/q\",\"method\":\"POST\"}]}").get("allowedPaths").toString())
                .isEqualTo("[{\"path\":\"/q\",\"method\":\"POST\"}]");
        JsonNode cleared = patchOk(id, "{\"allowedPaths\":[]}");
        assertThat(cleared.get("allowedPaths").isArray()).isTrue();
        assertThat(cleared.get("allowedPaths")).isEmpty();
        assertThat(gw.gateway().liveConfig().current().keysById().get(id).allowedPaths()).isEmpty();
    }

    @Test
    void revokingStoresTheReasonAndUnrevokingClearsIt() {
        String id = newKey().get("keyId").asText();
        JsonNode revoked = patchOk(id, "{\"revoked\":true,\"revokedReason\":\"leaked on github\"}");
        assertThat(revoked.get("revoked").asBoolean()).isTrue();
        assertThat(revoked.get("revokedReason").asText()).isEqualTo("leaked on github");
        assertThat(gw.gateway().liveConfig().current().keysById().get(id).revoked()).as("visible to the proxy at once").isTrue();
        assertThat(patchOk(id, "{\"name\":\"still\"}").get("revokedReason").asText()).isEqualTo("leaked on github");
        JsonNode back = patchOk(id, "{\"revoked\":false,\"revokedReason\":\"ignored\"}");
        assertThat(back.get("revoked").asBoolean()).isFalse();
        assertThat(back.get("revokedReason").asText()).isEmpty();
    }

    @Test
    void limitsAreReplacedTogetherWithTheirUnits() {
        String id = newKey().get("keyId").asText();
        JsonNode k = patchOk(id, """
                {"rateLimitOverTime":99,"rateLimitUnit":"h","costLimitInUsdOverTime":3.5,"costLimitInUsdUnit":"mo","costLimitInUsd":0}""");
        assertThat(k.get("rateLimitOverTime").asInt()).isEqualTo(99);
        assertThat(k.get("rateLimitUnit").asText()).isEqualTo("h");
        assertThat(k.get("costLimitInUsdOverTime").asDouble()).isEqualTo(3.5);
        assertThat(k.get("costLimitInUsdUnit").asText()).isEqualTo("mo");
        assertThat(k.get("costLimitInUsd").asDouble()).isZero();
    }

    @Test
    void limitsAreRemovedByZeroWithAnEmptyUnit() {
        String id = newKey().get("keyId").asText();
        JsonNode k = patchOk(id, """
                {"rateLimitOverTime":0,"rateLimitUnit":"","costLimitInUsdOverTime":0,"costLimitInUsdUnit":""}""");
        assertThat(k.get("rateLimitOverTime").asInt()).isZero();
        assertThat(k.get("rateLimitUnit").asText()).isEmpty();
        assertThat(k.get("costLimitInUsdOverTime").asDouble()).isZero();
        assertThat(k.get("costLimitInUsdUnit").asText()).isEmpty();
    }

    @Test
    void settingIdsReplaceTheLegacySettingIdAndBackAgain() {
        String id = newKey().get("keyId").asText();
        JsonNode many = patchOk(id, "{\"settingIds\":[\"SETTING2\",\"SETTING\"]}");
        assertThat(many.get("settingIds").toString()).isEqualTo("[\"" + setting2 + "\",\"" + setting + "\"]");
        assertThat(many.get("settingId").asText()).isEmpty();
        JsonNode one = patchOk(id, "{\"settingId\":\"SETTING2\",\"settingIds\":[]}");
        assertThat(one.get("settingId").asText()).isEqualTo(setting2);
        assertThat(one.get("settingIds")).isEmpty();
        ApiKey live = gw.gateway().liveConfig().current().keysById().get(id);
        assertThat(gw.gateway().liveConfig().current().settingsOf(live)).extracting(s -> s.id()).containsExactly(setting2);
    }

    @Test
    void policyIdIsReplacedWhenPresent() {
        String id = newKey().get("keyId").asText();
        assertThat(patchOk(id, "{\"policyId\":\"policy-ok\"}").get("policyId").asText()).isEqualTo("policy-ok");
        assertThat(patchOk(id, "{\"name\":\"n\"}").get("policyId").asText()).isEqualTo("policy-ok");
    }

    @Test
    void flagsAreReplacedWhenPresent() {
        String id = newKey().get("keyId").asText();
        JsonNode k = patchOk(id, "{\"shouldLogRequest\":false,\"shouldLogResponse\":true,\"rotationEnabled\":true}");
        assertThat(k.get("shouldLogRequest").asBoolean()).isFalse();
        assertThat(k.get("shouldLogResponse").asBoolean()).isTrue();
        assertThat(k.get("rotationEnabled").asBoolean()).isTrue();
    }

    @Test
    void ttlKeyAndCreatedAtCannotBeChanged() {
        JsonNode k = newKey();
        String id = k.get("keyId").asText();
        JsonNode after = patchOk(id, "{\"ttl\":\"1s\",\"key\":\"other\",\"createdAt\":5,\"keyId\":\"hijack\"}");
        assertThat(after.get("ttl").asText()).isEqualTo("24h");
        assertThat(after.get("key").asText()).isEqualTo(k.get("key").asText());
        assertThat(after.get("createdAt").asLong()).isEqualTo(k.get("createdAt").asLong());
        assertThat(after.get("keyId").asText()).isEqualTo(id);
    }

    @Test
    void isKeyNotHashedFalseHashesARawKeyOnceAndTheSecretStillWorks() {
        String secret = unique("sk-raw");
        JsonNode k = admin.createKey("""
                {"name":"raw","key":"%s","settingId":"%s","isKeyNotHashed":true}""".formatted(secret, setting));
        String id = k.get("keyId").asText();
        JsonNode hashed = patchOk(id, "{\"isKeyNotHashed\":false}");
        assertThat(hashed.get("key").asText()).isEqualTo(SecretHash.sha256Hex(secret));
        assertThat(hashed.get("isKeyNotHashed").asBoolean()).isFalse();
        JsonNode again = patchOk(id, "{\"isKeyNotHashed\":false}");
        assertThat(again.get("key").asText()).as("never re-hashed").isEqualTo(SecretHash.sha256Hex(secret));
        assertThat(gw.gateway().liveConfig().current().keyForSecret(secret)).map(ApiKey::keyId).contains(id);
    }

    @Test
    void isKeyNotHashedFalseNeverRehashesAHashedKey() {
        String secret = unique("sk-hashed");
        String id = admin.createKey("""
                {"name":"h","key":"%s","settingId":"%s"}""".formatted(secret, setting)).get("keyId").asText();
        assertThat(patchOk(id, "{\"isKeyNotHashed\":false}").get("key").asText()).isEqualTo(SecretHash.sha256Hex(secret));
        assertThat(gw.gateway().liveConfig().current().keyForSecret(secret)).isPresent();
    }

    @Test
    void isKeyNotHashedTrueDoesNotUnhashAHashedKey() {
        String secret = unique("sk-hashed");
        String id = admin.createKey("""
                {"name":"h","key":"%s","settingId":"%s"}""".formatted(secret, setting)).get("keyId").asText();
        JsonNode k = patchOk(id, "{\"isKeyNotHashed\":true}");
        assertThat(k.get("key").asText()).isEqualTo(SecretHash.sha256Hex(secret));
        assertThat(gw.gateway().liveConfig().current().keyForSecret(secret)).as("the key keeps working").isPresent();
    }

    @Test
    void hashingARawKeyThatCollidesWithAnotherKeyIsAConflict() {
        // A raw key whose secret hashes to the stored form of an existing hashed key: converting it would duplicate.
        String secret = unique("sk-collide");
        admin.createKey("""
                {"name":"hashed","key":"%s","settingId":"%s"}""".formatted(secret, setting));
        String rawId = admin.createKey("""
                {"name":"raw","key":"%s","settingId":"%s","isKeyNotHashed":true}""".formatted(secret, setting)).get("keyId").asText();
        assertError(patch(rawId, "{\"isKeyNotHashed\":false}"), 409, "/errors/conflict");
    }

    @Test
    void updateIsVisibleToTheProxyAtOnce() {
        String id = newKey().get("keyId").asText();
        patchOk(id, "{\"rateLimitOverTime\":1,\"rateLimitUnit\":\"s\"}");
        ApiKey live = gw.gateway().liveConfig().current().keysById().get(id);
        assertThat(live.rateLimitOverTime()).isEqualTo(1);
        assertThat(live.rateLimitUnit()).isEqualTo("s");
    }
}
