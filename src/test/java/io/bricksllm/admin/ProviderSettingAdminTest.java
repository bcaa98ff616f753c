package io.bricksllm.admin;

import io.bricksllm.testing.MutableClock;
import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.assertValidation;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** /api/provider-settings: per-provider required fields, url override, PATCH merge, and secrets never shown. */
class ProviderSettingAdminTest {
    static final String PATH = "/api/provider-settings";
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-04-01T00:00:00Z"));
    static TestGateway gw;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(), CLOCK);
        admin = gw.admin;
        customProvider("acme", "x-acme-key");
        customProvider("openauth", "");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static void customProvider(String name, String authParam) {
        gw.gateway().database().update("INSERT INTO custom_providers (id, created_at, updated_at, provider, route_configs,"
                + " authentication_param) VALUES (?,?,?,?,?,?)", unique("cp"), 1, 1, name, "[]", authParam);
    }

    static Reply create(String json) {
        return admin.put(PATH, json);
    }

    static JsonNode createOk(String json) {
        Reply r = create(json);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    static JsonNode patchOk(String id, String json) {
        Reply r = admin.patch(PATH + "/" + id, json);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    static JsonNode getOne(String id) {
        Reply r = admin.get(PATH + "?ids=" + id);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json()).hasSize(1);
        return r.json().get(0);
    }

    // ---- create: required fields per provider

    static Stream<Arguments> rejectedSettings() {
        return Stream.of(
                arguments("""
                        {"setting":{"apikey":"x"}}""", "provider field cannot be empty"),
                arguments("""
                        {"provider":"","setting":{"apikey":"x"}}""", "provider field cannot be empty"),
                arguments("""
                        {"provider":"  ","setting":{"apikey":"x"}}""", "provider field cannot be empty"),
                arguments("""
                        {"provider":"nosuchprovider","setting":{"apikey":"x"}}""", "provider nosuchprovider is not supported"),
                arguments("""
                        {"provider":"groq","setting":{"url":"https://groq.example/v1"}}""", "provider groq is missing fields apikey"),
                arguments("""
                        {"provider":"mistral","setting":{"apikey":"x","api_key":"x"}}""", "provider mistral does not accept setting fields [api_key]; it accepts apikey, url"),
                arguments("""
                        {"provider":"OpenAI","setting":{"apikey":"x"}}""", "provider OpenAI is not supported"),
                arguments("""
                        {"provider":"openai","setting":{}}""", "provider openai is missing fields apikey"),
                arguments("""
                        {"provider":"openai"}""", "provider openai is missing fields apikey"),
                arguments("""
                        {"provider":"openai","setting":{"apikey":""}}""", "provider openai is missing fields apikey"),
                arguments("""
                        {"provider":"openai","setting":{"api":"x"}}""", "provider openai is missing fields apikey"),
                arguments("""
                        {"provider":"anthropic","setting":{"url":"https://a.example"}}""", "provider anthropic is missing fields apikey"),
                arguments("""
                        {"provider":"deepinfra","setting":{}}""", "provider deepinfra is missing fields apikey"),
                arguments("""
                        {"provider":"azure","setting":{}}""", "provider azure is missing fields apikey,resourceName"),
                arguments("""
                        {"provider":"azure","setting":{"apikey":"x"}}""", "provider azure is missing fields resourceName"),
                arguments("""
                        {"provider":"azure","setting":{"resourceName":"r"}}""", "provider azure is missing fields apikey"),
                arguments("""
                        {"provider":"azure","setting":{"url":"https://az.example"}}""", "provider azure is missing fields apikey"),
                arguments("""
                        {"provider":"vllm","setting":{"apikey":"x"}}""", "provider vllm is missing fields url"),
                arguments("""
                        {"provider":"bedrock","setting":{}}""", "provider bedrock is missing fields awsAccessKeyId,awsSecretAccessKey,awsRegion"),
                arguments("""
                        {"provider":"bedrock","setting":{"awsAccessKeyId":"a","awsRegion":"us-east-1"}}""", "provider bedrock is missing fields awsSecretAccessKey"),
                arguments("""
                        {"provider":"bedrock","setting":{"awsAccessKeyId":"a","awsSecretAccessKey":"s","awsSessionToken":"t"}}""",
                        "provider bedrock is missing fields awsRegion"),
                arguments("""
                        {"provider":"gemini","setting":{}}""", "provider gemini is missing fields apikey"),
                arguments("""
                        {"provider":"gemini","setting":{"url":"https://gemini.example"}}""", "provider gemini is missing fields apikey"),
                arguments("""
                        {"provider":"gemini","setting":{"apikey":"x","project":"p"}}""",
                        "provider gemini does not accept setting fields [project]; it accepts apikey, url"),
                arguments("""
                        {"provider":"acme","setting":{}}""", "provider acme is missing value for field x-acme-key"),
                arguments("""
                        {"provider":"acme","setting":{"x-acme-key":""}}""", "provider acme is missing value for field x-acme-key"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rejectedSettings")
    void createSettingWithMissingOrUnknownFieldsIsRejected(String body, String detail) {
        Reply r = create(body);
        assertValidation(r, detail);
        assertThat(r.json().get("instance").asText()).isEqualTo(PATH);
    }

    static Stream<Arguments> acceptedSettings() {
        return Stream.of(
                arguments("openai", Map.of("apikey", "sk-openai-0123456789")),
                arguments("anthropic", Map.of("apikey", "sk-ant-0123456789")),
                arguments("deepinfra", Map.of("apikey", "di-0123456789")),
                arguments("groq", Map.of("apikey", "gsk-0123456789")),
                arguments("ollama", Map.of()),
                arguments("ollama", Map.of("url", "http://ollama.internal:11434/v1")),
                arguments("azure", Map.of("apikey", "az-0123456789", "resourceName", "myres")),
                arguments("azure", Map.of("apikey", "az-0123456789", "url", "https://gateway.example/azure")),
                arguments("vllm", Map.of("url", "http://10.0.0.5:8000")),
                arguments("vllm", Map.of("url", "http://vllm.local", "apikey", "vllm-key-0123456789")),
                arguments("bedrock", Map.of("awsAccessKeyId", "AKIA0123456789", "awsSecretAccessKey", "aws-secret-0123456789",
                        "awsRegion", "us-east-1")),
                arguments("bedrock", Map.of("awsAccessKeyId", "ASIA0123456789", "awsSecretAccessKey", "aws-secret-0123456789",
                        "awsRegion", "us-east-1", "awsSessionToken", "aws-session-0123456789", "url", "https://bedrock.example")),
                arguments("gemini", Map.of("apikey", "AIza-0123456789")),
                arguments("gemini", Map.of("apikey", "AIza-0123456789", "url", "https://gemini.example")),
                arguments("azure", Map.of("apikey", "az-0123456789", "resourceName", "myres", "apiVersion", "2025-01-01-preview")),
                arguments("acme", Map.of("x-acme-key", "acme-secret-0123456789")),
                arguments("openauth", Map.of()),
                arguments("openai", Map.of("apikey", "sk-short", "url", "https://proxy.example/v1")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("acceptedSettings")
    void createSettingWithTheRequiredFieldsIsAcceptedAndMasked(String provider, Map<String, String> setting) {
        JsonNode s = createOk(Json.write(Map.of("provider", provider, "setting", setting, "name", "n")));
        assertThat(s.get("provider").asText()).isEqualTo(provider);
        assertThat(s.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(s.get("createdAt").asLong()).isEqualTo(CLOCK.epochSecond());
        assertThat(s.get("updatedAt").asLong()).isEqualTo(CLOCK.epochSecond());
        assertSecretsAbsent(s.toString(), setting);
        String url = setting.get("url");
        if (url != null) assertThat(s.get("setting").get("url").asText()).isEqualTo(url);
        if (setting.containsKey("resourceName")) assertThat(s.get("setting").get("resourceName").asText()).isEqualTo("myres");
        if (setting.containsKey("awsRegion")) assertThat(s.get("setting").get("awsRegion").asText()).isEqualTo("us-east-1");
        ProviderSetting stored = gw.gateway().liveConfig().current().settingsById().get(s.get("id").asText());
        assertThat(stored.setting()).as("the proxy gets the real credentials at once").isEqualTo(setting);
    }

    @Test
    void createSettingAnswersTheOriginalsFieldNames() {
        JsonNode s = createOk("""
                {"provider":"openai","setting":{"apikey":"sk-0123456789abcdef"},"name":"main","allowedModels":["gpt-4o"],
                 "costMap":{"promptCostPerModel":{"gpt-4o":0.005},"completionCostPerModel":{"gpt-4o":0.015},"embeddingsCostPerModel":{}}}""");
        assertThat(AdminAssertions.fieldNames(s)).containsExactlyInAnyOrder("id", "createdAt", "updatedAt", "provider", "setting",
                "name", "allowedModels", "costMap");
        assertThat(s.get("name").asText()).isEqualTo("main");
        assertThat(s.get("allowedModels").toString()).isEqualTo("[\"gpt-4o\"]");
        assertThat(s.get("costMap").get("promptCostPerModel").get("gpt-4o").asDouble()).isEqualTo(0.005);
        assertThat(s.get("costMap").get("completionCostPerModel").get("gpt-4o").asDouble()).isEqualTo(0.015);
        assertThat(getOne(s.get("id").asText())).isEqualTo(s);
    }

    @Test
    void createSettingWithoutCostMapAnswersNullCostMapAndEmptyModels() {
        JsonNode s = createOk("""
                {"provider":"openai","setting":{"apikey":"sk-0123456789abcdef"}}""");
        assertThat(s.get("costMap").isNull()).isTrue();
        assertThat(s.get("allowedModels")).isEmpty();
        assertThat(s.get("name").asText()).isEmpty();
    }

    @Test
    void emptySettingIsOmittedFromTheAnswer() {
        JsonNode s = createOk("{\"provider\":\"openauth\"}");
        assertThat(s.has("setting")).isFalse();
    }

    // ---- url

    @ParameterizedTest
    @ValueSource(strings = {"ftp://files.example", "file:///etc/passwd", "javascript:alert(1)", "not a url", "//no-scheme.example",
            "http://", "https://h.example/v1?x=1", "gopher://h"})
    void createSettingWithANonHttpUrlIsRejected(String url) {
        Reply r = create(Json.write(Map.of("provider", "vllm", "setting", Map.of("url", url))));
        assertError(r, 400, "/errors/validation");
        assertThat(r.json().get("detail").asText()).contains("url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8000", "https://api.example.com/v1", "HTTPS://UPPER.example", "http://[::1]:9000/base"})
    void createSettingWithAnHttpUrlIsAccepted(String url) {
        JsonNode s = createOk(Json.write(Map.of("provider", "openai", "setting", Map.of("apikey", "k", "url", url))));
        assertThat(s.get("setting").get("url").asText()).isEqualTo(url);
    }

    @Test
    void urlIsAlsoCheckedOnPatch() {
        String id = createOk("{\"provider\":\"openai\",\"setting\":{\"apikey\":\"sk-0123456789abcdef\"}}").get("id").asText();
        assertValidation(admin.patch(PATH + "/" + id, "{\"setting\":{\"apikey\":\"sk-0123456789abcdef\",\"url\":\"ftp://x\"}}"),
                "setting.url must be an absolute http or https URL without a query string");
    }

    // ---- allowedModels and costMap

    @Test
    void emptyModelNameIsRejected() {
        assertValidation(create("""
                {"provider":"openai","setting":{"apikey":"k"},"allowedModels":["gpt-4o",""]}"""), "fields [allowedModels] are invalid");
    }

    @Test
    void negativePriceIsRejected() {
        Reply r = create("""
                {"provider":"openai","setting":{"apikey":"k"},"costMap":{"promptCostPerModel":{"gpt-4o":-1}}}""");
        assertError(r, 400, "/errors/validation");
        assertThat(r.json().get("detail").asText()).contains("gpt-4o");
    }

    @Test
    void nullPriceIsRejectedWithoutA500() {
        assertThat(create("""
                {"provider":"openai","setting":{"apikey":"k"},"costMap":{"promptCostPerModel":{"gpt-4o":null}}}""").status()).isEqualTo(400);
    }

    @Test
    void nullSettingValueIsRejectedWithoutA500() {
        assertThat(create("""
                {"provider":"openai","setting":{"apikey":"k","extra":null}}""").status()).isEqualTo(400);
        String id = createOk("{\"provider\":\"openai\",\"setting\":{\"apikey\":\"sk-0123456789abcdef\"}}").get("id").asText();
        assertThat(admin.patch(PATH + "/" + id, "{\"setting\":{\"extra\":null}}").status()).isEqualTo(400);
    }

    // ---- get

    @Test
    void getByIdsAnswersInRequestOrder() {
        String a = createOk("{\"provider\":\"openai\",\"setting\":{\"apikey\":\"sk-a-0123456789abc\"},\"name\":\"a\"}").get("id").asText();
        String b = createOk("{\"provider\":\"anthropic\",\"setting\":{\"apikey\":\"sk-b-0123456789abc\"},\"name\":\"b\"}").get("id").asText();
        Reply r = admin.get(PATH + "?ids=" + b + "&ids=" + a);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get(0).get("id").asText()).isEqualTo(b);
        assertThat(r.json().get(1).get("id").asText()).isEqualTo(a);
    }

    @Test
    void getWithAnUnknownIdIsNotFound() {
        String a = createOk("{\"provider\":\"openai\",\"setting\":{\"apikey\":\"sk-a-0123456789abc\"}}").get("id").asText();
        assertError(admin.get(PATH + "?ids=" + a + "&ids=no-such-setting"), 404, "/errors/not-found");
    }

    @Test
    void getWithoutIdsListsEverySetting() {
        String a = createOk("{\"provider\":\"openai\",\"setting\":{\"apikey\":\"sk-a-0123456789abc\"}}").get("id").asText();
        Reply r = admin.get(PATH);
        assertThat(r.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().forEach(s -> ids.add(s.get("id").asText()));
        assertThat(ids).contains(a).hasSize(gw.gateway().liveConfig().current().settingsById().size());
    }

    // ---- patch

    @Test
    void patchOfAnUnknownSettingIsNotFound() {
        JsonNode e = assertError(admin.patch(PATH + "/no-such-setting", "{\"name\":\"x\"}"), 404, "/errors/not-found");
        assertThat(e.get("detail").asText()).isEqualTo("provider setting is not found");
        assertThat(e.get("instance").asText()).isEqualTo("/api/provider-settings/:id");
    }

    @Test
    void patchMergesSettingKeysSoRotatingTheApikeyKeepsTheUrl() {
        String id = createOk(Json.write(Map.of("provider", "openai", "setting", Map.of("apikey", unique("sk-old"), "url", "https://old.example/v1"))))
                .get("id").asText();
        String secret = unique("sk-new");
        JsonNode s = patchOk(id, Json.write(Map.of("setting", Map.of("apikey", secret))));
        assertThat(s.get("setting").get("url").asText()).isEqualTo("https://old.example/v1");
        assertThat(gw.gateway().liveConfig().current().settingsById().get(id).setting())
                .containsEntry("apikey", secret).containsEntry("url", "https://old.example/v1");
    }

    /** BEHAVIOUR.md §3.5.4: a non-empty setting is validated alone, so a patch of an openai setting carries its apikey. */
    @Test
    void patchedSettingIsValidatedAloneBeforeTheMerge() {
        String secret = unique("sk-keep-me");
        String id = createOk(Json.write(Map.of("provider", "openai", "setting", Map.of("apikey", secret)))).get("id").asText();
        assertValidation(admin.patch(PATH + "/" + id, "{\"setting\":{\"api\":\"x\"}}"), "provider openai is missing fields apikey");
        assertValidation(admin.patch(PATH + "/" + id, "{\"setting\":{\"url\":\"https://new.example/v1\"}}"),
                "provider openai is missing fields apikey");
        assertThat(gw.gateway().liveConfig().current().settingsById().get(id).setting()).containsOnlyKeys("apikey").containsEntry("apikey", secret);
        JsonNode s = patchOk(id, Json.write(Map.of("setting", Map.of("apikey", secret, "url", "https://new.example/v1"))));
        assertThat(s.get("setting").get("url").asText()).isEqualTo("https://new.example/v1");
        assertThat(patchOk(id, "{\"setting\":{}}").get("setting").get("url").asText()).as("an empty setting changes nothing")
                .isEqualTo("https://new.example/v1");
    }

    static Stream<Arguments> unknownSettingFields() {
        return Stream.of(
                arguments("openai", Map.of("apikey", "sk-0123456789abcdef", "api", "x"), "api", "apikey, url"),
                arguments("anthropic", Map.of("apikey", "sk-ant-0123456789", "resourceName", "r"), "resourceName", "apikey, url"),
                arguments("deepinfra", Map.of("apikey", "di-0123456789", "organization", "o"), "organization", "apikey, url"),
                arguments("azure", Map.of("apikey", "az-0123456789", "resourceName", "r", "deployment", "d"), "deployment", "apiVersion, apikey, resourceName, url"),
                arguments("gemini", Map.of("apikey", "g-0123456789", "region", "eu"), "region", "apikey, url"),
                arguments("vllm", Map.of("url", "http://vllm.local", "model", "m"), "model", "apikey, url"),
                arguments("bedrock", Map.of("awsAccessKeyId", "a", "awsSecretAccessKey", "s", "awsRegion", "us-east-1", "apikey", "k"),
                        "apikey", "awsAccessKeyId, awsRegion, awsSecretAccessKey, awsSessionToken, url"),
                arguments("acme", Map.of("x-acme-key", "acme-0123456789", "apikey", "k"), "apikey", "x-acme-key"),
                arguments("openauth", Map.of("apikey", "oa-0123456789", "token", "t"), "token", "apikey"));
    }

    @ParameterizedTest(name = "{0} refuses {2}")
    @MethodSource("unknownSettingFields")
    void unknownSettingFieldsAreRefusedOnCreateAndPatchAndNotStored(String provider, Map<String, String> setting, String unknown, String accepted) {
        String detail = "provider " + provider + " does not accept setting fields [" + unknown + "]; it accepts " + accepted;
        int before = gw.gateway().liveConfig().current().settingsById().size();
        assertValidation(create(Json.write(Map.of("provider", provider, "setting", setting))), detail);
        assertThat(gw.gateway().liveConfig().current().settingsById()).hasSize(before);

        Map<String, String> known = new java.util.HashMap<>(setting);
        known.remove(unknown);
        String id = createOk(Json.write(Map.of("provider", provider, "setting", known))).get("id").asText();
        assertValidation(admin.patch(PATH + "/" + id, Json.write(Map.of("setting", setting))), detail);
        assertThat(gw.gateway().liveConfig().current().settingsById().get(id).setting()).isEqualTo(known);
    }

    @Test
    void patchCanRotateTheApikey() {
        String id = createOk("{\"provider\":\"openai\",\"setting\":{\"apikey\":\"sk-old-0123456789\"}}").get("id").asText();
        patchOk(id, "{\"setting\":{\"apikey\":\"sk-new-0123456789\"}}");
        assertThat(gw.gateway().liveConfig().current().settingsById().get(id).get("apikey")).isEqualTo("sk-new-0123456789");
    }

    @Test
    void patchThatEmptiesARequiredFieldIsRejected() {
        String id = createOk("{\"provider\":\"azure\",\"setting\":{\"apikey\":\"az-0123456789abcdef\",\"resourceName\":\"r\"}}")
                .get("id").asText();
        assertValidation(admin.patch(PATH + "/" + id, "{\"setting\":{\"apikey\":\"az-new\",\"resourceName\":\"\"}}"),
                "provider azure is missing fields resourceName");
        assertValidation(admin.patch(PATH + "/" + id, "{\"setting\":{\"apikey\":\"\",\"resourceName\":\"r\"}}"),
                "provider azure is missing fields apikey");
        assertValidation(admin.patch(PATH + "/" + id, "{\"setting\":{\"resourceName\":\"\"}}"), "provider azure is missing fields apikey,resourceName");
    }

    @Test
    void patchCannotChangeTheProvider() {
        String id = createOk("{\"provider\":\"openai\",\"setting\":{\"apikey\":\"sk-0123456789abcdef\"}}").get("id").asText();
        assertThat(patchOk(id, "{\"provider\":\"anthropic\"}").get("provider").asText()).isEqualTo("openai");
    }

    @Test
    void patchReplacesNameWhenPresentEvenEmpty() {
        String id = createOk("{\"provider\":\"openai\",\"setting\":{\"apikey\":\"k\"},\"name\":\"first\"}").get("id").asText();
        assertThat(patchOk(id, "{\"name\":\"second\"}").get("name").asText()).isEqualTo("second");
        assertThat(patchOk(id, "{\"allowedModels\":[\"m\"]}").get("name").asText()).as("absent keeps").isEqualTo("second");
        assertThat(patchOk(id, "{\"name\":null}").get("name").asText()).as("null keeps").isEqualTo("second");
        assertThat(patchOk(id, "{\"name\":\"\"}").get("name").asText()).as("empty replaces").isEmpty();
    }

    @Test
    void patchReplacesAllowedModelsAndAnEmptyArrayClearsThem() {
        String id = createOk("{\"provider\":\"openai\",\"setting\":{\"apikey\":\"k\"},\"allowedModels\":[\"a\",\"b\"]}").get("id").asText();
        assertThat(patchOk(id, "{\"name\":\"x\"}").get("allowedModels").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(patchOk(id, "{\"allowedModels\":[\"c\"]}").get("allowedModels").toString()).isEqualTo("[\"c\"]");
        assertThat(patchOk(id, "{\"allowedModels\":[]}").get("allowedModels")).isEmpty();
        assertThat(gw.gateway().liveConfig().current().settingsById().get(id).allowedModels()).isEmpty();
    }

    @Test
    void patchReplacesTheWholeCostMapWhenPresent() {
        String id = createOk("""
                {"provider":"openai","setting":{"apikey":"k"},
                 "costMap":{"promptCostPerModel":{"a":1.0,"b":2.0},"completionCostPerModel":{"a":3.0}}}""").get("id").asText();
        JsonNode kept = patchOk(id, "{\"name\":\"x\"}");
        assertThat(kept.get("costMap").get("promptCostPerModel")).hasSize(2);
        JsonNode replaced = patchOk(id, "{\"costMap\":{\"promptCostPerModel\":{\"c\":0.5}}}");
        assertThat(replaced.get("costMap").get("promptCostPerModel").toString()).isEqualTo("{\"c\":0.5}");
        assertThat(replaced.get("costMap").get("completionCostPerModel")).isEmpty();
        assertThat(gw.gateway().liveConfig().current().settingsById().get(id).costMap().promptCostPerModel())
                .isEqualTo(Map.of("c", 0.5));
    }

    @Test
    void patchMovesUpdatedAtButNotCreatedAt() {
        JsonNode s = createOk("{\"provider\":\"openai\",\"setting\":{\"apikey\":\"k\"}}");
        CLOCK.advance(Duration.ofMinutes(5));
        JsonNode after = patchOk(s.get("id").asText(), "{\"name\":\"later\"}");
        assertThat(after.get("createdAt").asLong()).isEqualTo(s.get("createdAt").asLong());
        assertThat(after.get("updatedAt").asLong()).isEqualTo(CLOCK.epochSecond()).isGreaterThan(s.get("createdAt").asLong());
    }

    // ---- secrets are never shown

    static Stream<Arguments> secretSettings() {
        return Stream.of(
                arguments("openai", Map.of("apikey", "sk-proj-AAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
                arguments("openai", Map.of("apikey", "short")),
                arguments("anthropic", Map.of("apikey", "sk-ant-api03-BBBBBBBBBBBBBBBBBBBBBBBB")),
                arguments("deepinfra", Map.of("apikey", "deepinfra-CCCCCCCCCCCCCCCCCCCC")),
                arguments("azure", Map.of("apikey", "azure-DDDDDDDDDDDDDDDDDDDDDDDD", "resourceName", "res")),
                arguments("vllm", Map.of("url", "http://vllm.local", "apikey", "vllm-EEEEEEEEEEEEEEEEEEEEEE")),
                arguments("bedrock", Map.of("awsAccessKeyId", "AKIAFFFFFFFFFFFFFFFF", "awsSecretAccessKey",
                        "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", "awsRegion", "us-west-2")),
                arguments("bedrock", Map.of("awsAccessKeyId", "ASIAJJJJJJJJJJJJJJJJ", "awsSecretAccessKey",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYKKKKKKKKKK", "awsRegion", "us-west-2", "awsSessionToken", "session-LLLLLLLLLLLLLLLLLLLL")),
                arguments("gemini", Map.of("apikey", "AIzaMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM")),
                arguments("acme", Map.of("x-acme-key", "acme-HHHHHHHHHHHHHHHHHHHHHHHH")));
    }

    /** What a provider says is no secret is shown as stored: an operator can tell which region or version a setting uses. */
    @Test
    void theFieldsAProviderDeclaresPublicAreShownInClear() {
        JsonNode azure = createOk(Json.write(Map.of("provider", "azure", "setting",
                Map.of("apikey", "azure-NNNNNNNNNNNNNNNNNNNN", "resourceName", "res", "apiVersion", "2025-01-01-preview")))).get("setting");
        assertThat(azure.get("apiVersion").asText()).isEqualTo("2025-01-01-preview");
        assertThat(azure.get("resourceName").asText()).isEqualTo("res");
        assertThat(azure.get("apikey").asText()).isEqualTo("azu****");
        JsonNode bedrock = createOk(Json.write(Map.of("provider", "bedrock", "setting", Map.of("awsAccessKeyId", "ASIAOOOOOOOOOOOOOOOO",
                "awsSecretAccessKey", "secret-PPPPPPPPPPPPPPPPPPPP", "awsRegion", "eu-west-1", "awsSessionToken", "session-QQQQQQQQQQQQQQQQ",
                "url", "https://bedrock.example")))).get("setting");
        assertThat(bedrock.get("awsRegion").asText()).isEqualTo("eu-west-1");
        assertThat(bedrock.get("url").asText()).isEqualTo("https://bedrock.example");
        assertThat(bedrock.get("awsSessionToken").asText()).isEqualTo("ses****");
    }

    /** A custom provider cannot take a built-in name: its settings would be checked and used as the built-in's. */
    @Test
    void everyBuiltInProviderNameIsReservedForCustomProviders() {
        for (String name : new String[] {"gemini", "bedrock", "azure", "groq"}) {
            Reply r = admin.post("/api/custom/providers", "{\"provider\":\"" + name + "\",\"route_configs\":[{\"path\":\"/chat\","
                    + "\"target_url\":\"https://custom.example/x\"}]}");
            assertValidation(r, "provider cannot be named " + name + ": it is a built-in provider");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secretSettings")
    void noReadEverShowsASecret(String provider, Map<String, String> setting) {
        Reply created = create(Json.write(Map.of("provider", provider, "setting", setting, "name", "secretive")));
        assertThat(created.status()).isEqualTo(200);
        assertSecretsAbsent(created.body(), setting);
        String id = created.json().get("id").asText();
        Reply updated = admin.patch(PATH + "/" + id, Json.write(Map.of("setting", setting, "name", "renamed")));
        assertThat(updated.status()).isEqualTo(200);
        assertSecretsAbsent(updated.body(), setting);
        Reply renamedOnly = admin.patch(PATH + "/" + id, "{\"name\":\"again\"}");
        assertSecretsAbsent(renamedOnly.body(), setting);
        Reply byIds = admin.get(PATH + "?ids=" + id);
        assertThat(byIds.status()).isEqualTo(200);
        assertSecretsAbsent(byIds.body(), setting);
        Reply all = admin.get(PATH);
        assertThat(all.status()).isEqualTo(200);
        assertSecretsAbsent(all.body(), setting);
    }

    @Test
    void customSettingStaysMaskedWhenItsProviderRowIsGone() {
        customProvider("ephemeral", "x-eph-key");
        String secret = "ephemeral-IIIIIIIIIIIIIIIIIIIIIIIII";
        String id = createOk(Json.write(Map.of("provider", "ephemeral", "setting", Map.of("x-eph-key", secret)))).get("id").asText();
        gw.gateway().database().update("DELETE FROM custom_providers WHERE provider=?", "ephemeral");
        assertThat(admin.get(PATH + "?ids=" + id).body()).doesNotContain(secret);
        assertThat(admin.get(PATH).body()).doesNotContain(secret);
    }

    /** The raw value of every credential must be absent; non-secret parameters may be shown. */
    static void assertSecretsAbsent(String body, Map<String, String> setting) {
        for (var e : setting.entrySet()) {
            if (List.of("url", "resourceName", "awsRegion", "apiVersion").contains(e.getKey())) continue;
            assertThat(body).as("secret %s leaked", e.getKey()).doesNotContain(e.getValue());
        }
    }
}
