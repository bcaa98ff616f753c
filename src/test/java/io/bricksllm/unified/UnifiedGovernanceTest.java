package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.BadRequestException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.models.Model;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys, settings, limits and refusals on the unified endpoint: what is refused never reaches an upstream. */
class UnifiedGovernanceTest {
    static final String MODEL = "claude-sonnet-4-5";
    static final String PROVIDER_KEY = "sk-ant-governance";
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String anthropicSetting;
    static String openaiSetting;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        anthropicSetting = gw.admin.createSetting("anthropic", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("/v1")));
        openaiSetting = gw.admin.createSetting("openai", Map.of("apikey", "sk-openai-governance", "url", upstream.url("/openai/v1")));
        key("gw-gov-anthropic", "\"settingIds\":[\"" + anthropicSetting + "\"]");
        key("gw-gov-openai-only", "\"settingIds\":[\"" + openaiSetting + "\"]");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        upstream.on("POST", "/v1/messages", AnthropicApi.messages(PROVIDER_KEY, body -> Reply.json(200, AnthropicApi.textMessage(MODEL, "ok", 10, 2))));
    }

    static String key(String secret, String fields) {
        return gw.admin.createKey("{\"name\":\"g\",\"key\":\"" + secret + "\"," + fields + "}").get("keyId").asText();
    }

    static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static JsonNode error(ProxyClient.Reply r) {
        JsonNode body = Golden.parse(r.body());
        assertThat(body.has("error")).as("OpenAI error shape: " + r.text()).isTrue();
        assertThat(body.get("error").get("message").isTextual()).as("error.message in " + r.text()).isTrue();
        assertThat(body.get("error").has("type")).as("error.type in " + r.text()).isTrue();
        return body.get("error");
    }

    @Test
    void anUnknownProviderPrefixIs400NamingTheKnownProviders() {
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-gov-anthropic", chat("nosuch/some-model"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(error(r).get("message").asText()).contains("nosuch").contains("anthropic").contains("gemini").contains("bedrock").contains("openai");
        assertThat(upstream.calls()).isZero();
        assertThatThrownBy(() -> Sdk.client(gw, "gw-gov-anthropic").chat().completions().create(Sdk.chat("nosuch/some-model").addUserMessage("hi").build()))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void aModelWithoutAProviderPrefixIs400NamingTheKnownProviders() {
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-gov-anthropic", chat("claude-sonnet-4-5"));
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(error(r).get("message").asText()).contains("anthropic").contains("gemini");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void aProviderTheKeyHasNoSettingForIs401() {
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-gov-openai-only", chat("anthropic/" + MODEL));
        assertThat(r.status()).isEqualTo(401);
        error(r);
        assertThat(upstream.calls()).isZero();
        assertThatThrownBy(() -> Sdk.client(gw, "gw-gov-openai-only").chat().completions().create(Sdk.chat("anthropic/" + MODEL).addUserMessage("hi").build()))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void anUnknownGatewayKeyIs401AndNothingIsForwarded() {
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "no-such-gateway-key", chat("anthropic/" + MODEL));
        assertThat(r.status()).isEqualTo(401);
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void aModelOutsideTheSettingsAllowedModelsIs403AndAnAllowedOneAnswers() {
        String s = gw.admin.put("/api/provider-settings", "{\"provider\":\"anthropic\",\"setting\":{\"apikey\":\"" + PROVIDER_KEY + "\",\"url\":\""
                + upstream.url("/v1") + "\"},\"allowedModels\":[\"" + MODEL + "\"]}").json().get("id").asText();
        key("gw-gov-allowed", "\"settingIds\":[\"" + s + "\"]");
        ProxyClient.Reply refused = proxy.postJson("/v1/chat/completions", "gw-gov-allowed", chat("anthropic/claude-opus-4-1"));
        assertThat(refused.status()).isEqualTo(403);
        error(refused);
        assertThat(upstream.calls()).isZero();
        assertThatThrownBy(() -> Sdk.client(gw, "gw-gov-allowed").chat().completions().create(Sdk.chat("anthropic/claude-opus-4-1").addUserMessage("hi").build()))
                .isInstanceOf(PermissionDeniedException.class);

        ChatCompletion ok = Sdk.client(gw, "gw-gov-allowed").chat().completions().create(Sdk.chat("anthropic/" + MODEL).addUserMessage("hi").build());
        assertThat(ok.choices().get(0).message().content()).hasValue("ok");
    }

    @Test
    void nAbove1ForAnthropicIs400NamingTheFieldAndProviderAndNothingReachesAnthropic() {
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-gov-anthropic",
                "{\"model\":\"anthropic/" + MODEL + "\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.status()).isEqualTo(400);
        String message = error(r).get("message").asText();
        assertThat(message).containsPattern("\\bn\\b").containsIgnoringCase("anthropic");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void anAnthropic429ComesBackAsA429InOpenAiErrorShape() {
        upstream.on("POST", "/v1/messages", Reply.json(429, Golden.text("/dialect/anthropic/errors/rate-limit.anthropic.json")));
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-gov-anthropic", chat("anthropic/" + MODEL));
        assertThat(r.status()).isEqualTo(429);
        JsonNode error = error(r);
        assertThat(error.get("message").asText()).contains("Number of request tokens has exceeded your per-minute rate limit");
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(r.text()).doesNotContain("\"type\":\"error\"");
        assertThatThrownBy(() -> Sdk.client(gw, "gw-gov-anthropic").chat().completions().create(Sdk.chat("anthropic/" + MODEL).addUserMessage("hi").build()))
                .isInstanceOf(RateLimitException.class);
    }

    @Test
    void anAnthropic400ComesBackAsA400InOpenAiErrorShape() {
        upstream.on("POST", "/v1/messages", AnthropicApi.error(400, "invalid_request_error", "messages.0.content: prompt is too long"));
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-gov-anthropic", chat("anthropic/" + MODEL));
        assertThat(r.status()).isEqualTo(400);
        assertThat(error(r).get("message").asText()).contains("prompt is too long");
    }

    @Test
    void theKeysRateLimitAppliesToUnifiedCalls() {
        key("gw-gov-rate", "\"settingIds\":[\"" + anthropicSetting + "\"],\"rateLimitOverTime\":2,\"rateLimitUnit\":\"h\"");
        assertThat(proxy.postJson("/v1/chat/completions", "gw-gov-rate", chat("anthropic/" + MODEL)).status()).isEqualTo(200);
        assertThat(proxy.postJson("/v1/chat/completions", "gw-gov-rate", chat("anthropic/" + MODEL)).status()).isEqualTo(200);
        ProxyClient.Reply third = proxy.postJson("/v1/chat/completions", "gw-gov-rate", chat("anthropic/" + MODEL));
        assertThat(third.status()).isEqualTo(429);
        error(third);
        assertThat(upstream.calls()).isEqualTo(2);
    }

    @Test
    void aKeyThatSpentItsBudgetOnAnthropicIsRefused() {
        // 2,000 input + 500 output tokens of claude-sonnet-4-5 cost $0.0135, past the $0.01 limit; max_tokens and the
        // answer's length allow 500 output tokens (the gateway bounds reported usage by both)
        String longAnswer = "pricey ".repeat(600).strip();
        upstream.on("POST", "/v1/messages", AnthropicApi.messages(PROVIDER_KEY, body -> Reply.json(200, AnthropicApi.textMessage(MODEL, longAnswer, 2000, 500))));
        String id = key("gw-gov-budget", "\"settingIds\":[\"" + anthropicSetting + "\"],\"costLimitInUsd\":0.01");
        String body = "{\"model\":\"anthropic/" + MODEL + "\",\"max_tokens\":600,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        ProxyClient.Reply first = proxy.postJson("/v1/chat/completions", "gw-gov-budget", body);
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        JsonNode event = Metering.events(gw.admin, id, e -> true, 1).get(0);
        assertThat(event.get("cost_in_usd").asDouble()).as(event.toString()).isGreaterThan(0.01);
        ProxyClient.Reply second = proxy.postJson("/v1/chat/completions", "gw-gov-budget", body);
        assertThat(second.status()).isEqualTo(429);
        error(second);
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void modelsListsTheAllowedModelsWithTheirProviderPrefix() {
        String restricted = gw.admin.put("/api/provider-settings", "{\"provider\":\"anthropic\",\"setting\":{\"apikey\":\"k\",\"url\":\""
                + upstream.url("/v1") + "\"},\"allowedModels\":[\"claude-sonnet-4-5\",\"claude-haiku-4-5\"]}").json().get("id").asText();
        String gemini = gw.admin.put("/api/provider-settings", "{\"provider\":\"gemini\",\"setting\":{\"apikey\":\"g\",\"url\":\""
                + upstream.url("") + "\"},\"allowedModels\":[\"gemini-2.5-flash\"]}").json().get("id").asText();
        key("gw-gov-models", "\"settingIds\":[\"" + restricted + "\",\"" + gemini + "\"]");

        List<String> ids = modelIds("gw-gov-models");
        assertThat(ids).containsExactlyInAnyOrder("anthropic/claude-sonnet-4-5", "anthropic/claude-haiku-4-5", "gemini/gemini-2.5-flash");
        ProxyClient.Reply raw = proxy.get("/v1/models", "gw-gov-models");
        assertThat(raw.status()).isEqualTo(200);
        JsonNode list = Golden.parse(raw.body());
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data").get(0).get("object").asText()).isEqualTo("model");
        assertThat(upstream.calls()).as("the list comes from the gateway's configuration").isZero();
    }

    @Test
    void modelsListsThePricedModelsOfAnUnrestrictedProvider() {
        List<String> ids = modelIds("gw-gov-anthropic");
        assertThat(ids).isNotEmpty().allSatisfy(id -> assertThat(id).startsWith("anthropic/"));
        assertThat(ids).anySatisfy(id -> assertThat(id).startsWith("anthropic/claude-"));
    }

    static List<String> modelIds(String gatewayKey) {
        List<String> ids = new ArrayList<>();
        for (Model m : Sdk.client(gw, gatewayKey).models().list().autoPager()) ids.add(m.id());
        return ids;
    }
}
