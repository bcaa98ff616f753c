package io.bricksllm.admin;

import io.bricksllm.testing.MutableClock;
import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.assertValidation;
import static io.bricksllm.admin.AdminAssertions.fieldNames;
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
import org.junit.jupiter.params.provider.ValueSource;

/** PUT /api/key-management/keys: every rule of BEHAVIOUR.md §3.4.2, in its order, with our status codes. */
class KeyCreateTest {
    static final String PATH = "/api/key-management/keys";
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
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
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** Fills the placeholders: SETTING, SETTING2 and a fresh SECRET per call. */
    static String body(String template) {
        return template.replace("SETTING2", setting2).replace("SETTING", setting).replace("SECRET", unique("sk-bricks"));
    }

    static Reply create(String template) {
        return admin.put(PATH, body(template));
    }

    static Stream<Arguments> rejectedBodies() {
        return Stream.of(
                // 1. neither / 2. both
                arguments("neither settingId nor settingIds", """
                        {"name":"n","key":"SECRET"}""", "settingId is not set in either setting_id or setting_ids field"),
                arguments("empty settingId and empty settingIds count as neither", """
                        {"name":"n","key":"SECRET","settingId":"","settingIds":[]}""", "settingId is not set in either setting_id or setting_ids field"),
                arguments("neither is checked before the fields", """
                        {"name":"","key":""}""", "settingId is not set in either setting_id or setting_ids field"),
                arguments("both settingId and settingIds", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","settingIds":["SETTING"]}""", "either settingId or settingIds"),
                // 3. field checks, collected
                arguments("empty tag", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","tags":["ok",""]}""", "fields [tags] are invalid"),
                arguments("several empty tags are reported once", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","tags":["","x",""]}""", "fields [tags] are invalid"),
                arguments("null tag", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","tags":[null]}""", "field tags[0] must not be null"),
                arguments("empty key", """
                        {"name":"n","key":"","settingId":"SETTING"}""", "fields [key] are invalid"),
                arguments("missing key", """
                        {"name":"n","settingId":"SETTING"}""", "fields [key] are invalid"),
                arguments("empty name", """
                        {"name":"","key":"SECRET","settingId":"SETTING"}""", "fields [name] are invalid"),
                arguments("missing name", """
                        {"key":"SECRET","settingId":"SETTING"}""", "fields [name] are invalid"),
                arguments("empty settingIds entry", """
                        {"name":"n","key":"SECRET","settingIds":["SETTING",""]}""", "fields [settingIds[1]] are invalid"),
                arguments("every empty settingIds entry is named", """
                        {"name":"n","key":"SECRET","settingIds":["","SETTING",""]}""", "fields [settingIds[0], settingIds[2]] are invalid"),
                arguments("negative costLimitInUsd", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","costLimitInUsd":-0.01}""", "fields [costLimitInUsd] are invalid"),
                arguments("negative costLimitInUsdOverTime", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","costLimitInUsdOverTime":-1,"costLimitInUsdUnit":"d"}""", "fields [costLimitInUsdOverTime] are invalid"),
                arguments("negative rateLimitOverTime", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","rateLimitOverTime":-1,"rateLimitUnit":"m"}""", "fields [rateLimitOverTime] are invalid"),
                arguments("costLimitInUsd too large to be a number", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","costLimitInUsd":1e400}""", "fields [costLimitInUsd] are invalid"),
                arguments("costLimitInUsdOverTime too large to be a number", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","costLimitInUsdOverTime":-1e400,"costLimitInUsdUnit":"d"}""", "fields [costLimitInUsdOverTime] are invalid"),
                arguments("null allowedPaths entry", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","allowedPaths":[null]}""", "field allowedPaths[0] must not be null"),
                arguments("null settingIds entry", """
                        {"name":"n","key":"SECRET","settingIds":[null]}""", "field settingIds[0] must not be null"),
                arguments("ttl with a day unit", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","ttl":"1d"}""", "fields [ttl] are invalid"),
                arguments("ttl that is not a duration", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","ttl":"tomorrow"}""", "fields [ttl] are invalid"),
                arguments("ttl without a unit", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","ttl":"60"}""", "fields [ttl] are invalid"),
                arguments("allowedPaths entry without path", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","allowedPaths":[{"path":"","method":"POST"}]}""", "fields [allowedPaths.0.path] are invalid"),
                arguments("allowedPaths entry without method", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","allowedPaths":[{"path":"/api/x","method":""}]}""", "fields [allowedPaths.0.method] are invalid"),
                arguments("allowedPaths entry with neither reports the path", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","allowedPaths":[{}]}""", "fields [allowedPaths.0.path] are invalid"),
                arguments("only the first bad allowedPaths entry is reported", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","allowedPaths":[{"path":"/ok","method":"GET"},{"path":"/x","method":""},{"path":"","method":"GET"}]}""",
                        "fields [allowedPaths.1.method] are invalid"),
                arguments("every invalid field is collected in order", """
                        {"name":"","key":"","settingIds":["SETTING",""],"tags":[""],"costLimitInUsd":-1,"costLimitInUsdOverTime":-1,
                         "rateLimitOverTime":-1,"ttl":"1y","allowedPaths":[{"path":"/p","method":""}],"rateLimitUnit":"m"}""",
                        "fields [tags, key, name, settingIds[1], costLimitInUsd, costLimitInUsdOverTime, rateLimitOverTime, ttl, allowedPaths.0.method] are invalid"),
                // 4.-7. limit units
                arguments("rate limit unit without amount", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","rateLimitUnit":"m"}""", "rate limit over time can not be empty if rate limit unit is specified"),
                arguments("rate limit unit with zero amount", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","rateLimitUnit":"m","rateLimitOverTime":0}""", "rate limit over time can not be empty if rate limit unit is specified"),
                arguments("cost limit unit without amount", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","costLimitInUsdUnit":"d"}""", "cost limit over time can not be empty if cost limit unit is specified"),
                arguments("rate unit rule comes before cost unit rule", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","costLimitInUsdUnit":"d","rateLimitUnit":"h"}""", "rate limit over time can not be empty if rate limit unit is specified"),
                arguments("rate limit amount without unit", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","rateLimitOverTime":10}""", "rate limit unit can not be empty if rate limit over time is specified"),
                arguments("rate limit unit mo is not a rate unit", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","rateLimitOverTime":10,"rateLimitUnit":"mo"}""", "rate limit unit can not be identified"),
                arguments("rate limit unit w is unknown", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","rateLimitOverTime":10,"rateLimitUnit":"w"}""", "rate limit unit can not be identified"),
                arguments("rate limit unit is case-sensitive", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","rateLimitOverTime":10,"rateLimitUnit":"M"}""", "rate limit unit can not be identified"),
                arguments("cost limit amount without unit", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","costLimitInUsdOverTime":2.5}""", "cost limit unit can not be empty if cost limit over time is specified"),
                arguments("cost limit unit s is not a cost unit", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","costLimitInUsdOverTime":2.5,"costLimitInUsdUnit":"s"}""", "cost limit unit can not be identified"),
                arguments("cost limit unit y is unknown", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","costLimitInUsdOverTime":2.5,"costLimitInUsdUnit":"y"}""", "cost limit unit can not be identified"),
                // 9.-11. references (our decision: 400 instead of the original's 500)
                arguments("unknown settingId", """
                        {"name":"n","key":"SECRET","settingId":"no-such-setting"}""", "provider setting is not found: no-such-setting"),
                arguments("unknown entry in settingIds", """
                        {"name":"n","key":"SECRET","settingIds":["SETTING","no-such-setting"]}""", "provider settings are not found: no-such-setting"),
                arguments("unknown policyId", """
                        {"name":"n","key":"SECRET","settingId":"SETTING","policyId":"no-such-policy"}""", "policy is not found for id: no-such-policy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedBodies")
    void createKeyWithInvalidBodyIsRejected(String rule, String template, String detail) {
        Reply r = create(template);
        assertValidation(r, detail);
        assertThat(r.json().get("instance").asText()).isEqualTo(PATH);
    }

    @ParameterizedTest(name = "rate unit {0}")
    @ValueSource(strings = {"s", "m", "h", "d"})
    void createKeyAcceptsEveryRateLimitUnit(String unit) {
        JsonNode k = admin.createKey(body("""
                {"name":"n","key":"SECRET","settingId":"SETTING","rateLimitOverTime":3,"rateLimitUnit":"%s"}""".formatted(unit)));
        assertThat(k.get("rateLimitUnit").asText()).isEqualTo(unit);
        assertThat(k.get("rateLimitOverTime").asInt()).isEqualTo(3);
    }

    @ParameterizedTest(name = "cost unit {0}")
    @ValueSource(strings = {"m", "h", "d", "mo"})
    void createKeyAcceptsEveryCostLimitUnit(String unit) {
        JsonNode k = admin.createKey(body("""
                {"name":"n","key":"SECRET","settingId":"SETTING","costLimitInUsdOverTime":0.25,"costLimitInUsdUnit":"%s"}""".formatted(unit)));
        assertThat(k.get("costLimitInUsdUnit").asText()).isEqualTo(unit);
        assertThat(k.get("costLimitInUsdOverTime").asDouble()).isEqualTo(0.25);
    }

    @Test
    void createKeyStoresTheSha256OfTheSecret() {
        String secret = unique("sk-hash-me");
        JsonNode k = admin.createKey(body("""
                {"name":"hashed","key":"%s","settingId":"SETTING"}""".formatted(secret)));
        assertThat(k.get("key").asText()).isEqualTo(SecretHash.sha256Hex(secret)).matches("[0-9a-f]{64}");
        assertThat(k.get("isKeyNotHashed").asBoolean()).isFalse();
        assertThat(gw.gateway().liveConfig().current().keyForSecret(secret)).map(ApiKey::keyId)
                .as("usable by the proxy at once").contains(k.get("keyId").asText());
    }

    @Test
    void createKeyWithIsKeyNotHashedStoresTheRawSecret() {
        String secret = unique("sk-raw");
        JsonNode k = admin.createKey(body("""
                {"name":"raw","key":"%s","settingId":"SETTING","isKeyNotHashed":true}""".formatted(secret)));
        assertThat(k.get("key").asText()).isEqualTo(secret);
        assertThat(k.get("isKeyNotHashed").asBoolean()).isTrue();
        assertThat(gw.gateway().liveConfig().current().keyForSecret(secret)).isPresent();
    }

    @Test
    void createKeyReturnsEveryFieldWithTheOriginalsNames() {
        long now = CLOCK.epochSecond();
        JsonNode k = admin.createKey(body("""
                {"name":"all","key":"SECRET","settingIds":["SETTING","SETTING2"],"tags":["a","b"],"costLimitInUsd":10.5,
                 "costLimitInUsdOverTime":1.25,"costLimitInUsdUnit":"mo","rateLimitOverTime":7,"rateLimitUnit":"s",
                 "ttl":"1h30m","allowedPaths":[{"path":"/api/providers/openai/v1/chat/completions","method":"POST"}],
                 "shouldLogRequest":true,"shouldLogResponse":true,"rotationEnabled":true,
                 "keyId":"client-chosen","createdAt":1,"updatedAt":2,"revoked":true,"revokedReason":"x"}"""));
        assertThat(fieldNames(k)).containsExactlyInAnyOrder("name", "createdAt", "updatedAt", "tags", "keyId", "revoked", "key",
                "revokedReason", "costLimitInUsd", "costLimitInUsdOverTime", "costLimitInUsdUnit", "rateLimitOverTime",
                "rateLimitUnit", "ttl", "settingId", "allowedPaths", "settingIds", "shouldLogRequest", "shouldLogResponse",
                "rotationEnabled", "policyId", "isKeyNotHashed");
        assertThat(k.get("name").asText()).isEqualTo("all");
        assertThat(k.get("keyId").asText()).isNotEqualTo("client-chosen").matches("[0-9a-f-]{36}");
        assertThat(k.get("createdAt").asLong()).isEqualTo(now);
        assertThat(k.get("updatedAt").asLong()).isEqualTo(now);
        assertThat(k.get("revoked").asBoolean()).isFalse();
        assertThat(k.get("revokedReason").asText()).isEmpty();
        assertThat(k.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(k.get("settingIds").get(0).asText()).isEqualTo(setting);
        assertThat(k.get("settingIds").get(1).asText()).isEqualTo(setting2);
        assertThat(k.get("settingId").asText()).isEmpty();
        assertThat(k.get("costLimitInUsd").asDouble()).isEqualTo(10.5);
        assertThat(k.get("costLimitInUsdOverTime").asDouble()).isEqualTo(1.25);
        assertThat(k.get("costLimitInUsdUnit").asText()).isEqualTo("mo");
        assertThat(k.get("rateLimitOverTime").asInt()).isEqualTo(7);
        assertThat(k.get("rateLimitUnit").asText()).isEqualTo("s");
        assertThat(k.get("ttl").asText()).isEqualTo("1h30m");
        assertThat(k.get("allowedPaths").toString())
                .isEqualTo("[{\"path\":\"/api/providers/openai/v1/chat/completions\",\"method\":\"POST\"}]");
        assertThat(k.get("shouldLogRequest").asBoolean()).isTrue();
        assertThat(k.get("shouldLogResponse").asBoolean()).isTrue();
        assertThat(k.get("rotationEnabled").asBoolean()).isTrue();
        assertThat(k.get("policyId").asText()).isEmpty();
    }

    @Test
    void createKeyWithoutAllowedPathsAnswersNullAndWithEmptyAllowedPathsAnswersEmpty() {
        JsonNode none = admin.createKey(body("""
                {"name":"n","key":"SECRET","settingId":"SETTING"}"""));
        JsonNode empty = admin.createKey(body("""
                {"name":"n","key":"SECRET","settingId":"SETTING","allowedPaths":[]}"""));
        assertThat(none.get("allowedPaths").isNull()).isTrue();
        assertThat(empty.get("allowedPaths").isArray()).isTrue();
        assertThat(empty.get("allowedPaths")).isEmpty();
    }

    @Test
    void createKeyWithLegacySettingIdKeepsIt() {
        JsonNode k = admin.createKey(body("""
                {"name":"legacy","key":"SECRET","settingId":"SETTING"}"""));
        assertThat(k.get("settingId").asText()).isEqualTo(setting);
        assertThat(k.get("settingIds")).isEmpty();
    }

    @Test
    void createKeyWithAnExistingPolicyIsAccepted() {
        gw.gateway().database().update("INSERT INTO policies (id, created_at, updated_at, name, config, regex_config, custom_config)"
                + " VALUES (?,?,?,?,?,?,?)", "policy-ok", 1, 1, "p", "{}", "{}", "{}");
        JsonNode k = admin.createKey(body("""
                {"name":"pol","key":"SECRET","settingId":"SETTING","policyId":"policy-ok"}"""));
        assertThat(k.get("policyId").asText()).isEqualTo("policy-ok");
    }

    @Test
    void createKeyWithAZeroTtlOrAValidTtlIsAccepted() {
        assertThat(create("""
                {"name":"n","key":"SECRET","settingId":"SETTING","ttl":"0"}""").status()).isEqualTo(200);
        assertThat(create("""
                {"name":"n","key":"SECRET","settingId":"SETTING","ttl":"500ms"}""").status()).isEqualTo(200);
    }

    @Test
    void createKeyWithNegativeTtlIsRejected() {
        assertValidation(create("""
                {"name":"n","key":"SECRET","settingId":"SETTING","ttl":"-1h"}"""), "fields [ttl] are invalid");
    }

    @Test
    void createKeyWithADuplicateSecretIsAConflict() {
        String secret = unique("sk-dup");
        admin.createKey(body("""
                {"name":"first","key":"%s","settingId":"SETTING"}""".formatted(secret)));
        Reply again = create("""
                {"name":"second","key":"%s","settingId":"SETTING"}""".formatted(secret));
        JsonNode e = assertError(again, 409, "/errors/conflict");
        assertThat(e.get("detail").asText()).doesNotContain(secret);
    }

    @Test
    void createKeyWithADuplicateRawSecretIsAConflict() {
        String secret = unique("sk-dup-raw");
        admin.createKey(body("""
                {"name":"first","key":"%s","settingId":"SETTING","isKeyNotHashed":true}""".formatted(secret)));
        assertError(create("""
                {"name":"second","key":"%s","settingId":"SETTING","isKeyNotHashed":true}""".formatted(secret)), 409, "/errors/conflict");
    }

    @Test
    void rejectedKeyIsNotStored() {
        int before = gw.gateway().liveConfig().current().keysById().size();
        create("""
                {"name":"n","key":"SECRET","settingId":"SETTING","rateLimitOverTime":1,"rateLimitUnit":"y"}""");
        create("""
                {"name":"n","key":"SECRET","settingId":"missing"}""");
        assertThat(gw.gateway().liveConfig().current().keysById()).hasSize(before);
    }

    @Test
    void createdAtFollowsTheClock() {
        CLOCK.advance(Duration.ofHours(1));
        JsonNode k = admin.createKey(body("""
                {"name":"n","key":"SECRET","settingId":"SETTING"}"""));
        assertThat(k.get("createdAt").asLong()).isEqualTo(CLOCK.epochSecond());
    }
}
