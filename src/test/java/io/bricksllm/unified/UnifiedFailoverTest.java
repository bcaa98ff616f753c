package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failover across providers: a {@code models} list on the unified endpoint and a route whose steps name OpenAI then
 * Anthropic; the caller always gets OpenAI's format, every attempt is an event, the answering one carries the cost.
 */
class UnifiedFailoverTest {
    static final String OPENAI_MODEL = "gpt-4o-mini";
    static final String ANTHROPIC_MODEL = "claude-sonnet-4-5";
    static final String OPENAI_PATH = "/openai/v1/chat/completions";
    static final String ANTHROPIC_PATH = "/v1/messages";
    static final String ANTHROPIC_KEY = "sk-ant-failover";
    static final String GATEWAY_KEY = "gw-unified-failover";
    static final String GEMINI_KEY = "AIza-failover";
    static final String GEMINI_MODEL = "gemini-2.5-flash";
    static final List<String> MODELS = List.of("openai/" + OPENAI_MODEL, "anthropic/" + ANTHROPIC_MODEL);
    static final AtomicInteger routes = new AtomicInteger();
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static ProxyClient proxy;
    static String keyId;
    static String settingIds;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        String openai = gw.admin.createSetting("openai", Map.of("apikey", "sk-openai-failover", "url", upstream.url("/openai/v1")));
        String anthropic = gw.admin.createSetting("anthropic", Map.of("apikey", ANTHROPIC_KEY, "url", upstream.url("/v1")));
        String gemini = gw.admin.createSetting("gemini", Map.of("apikey", GEMINI_KEY, "url", upstream.url("")));
        settingIds = "[\"" + openai + "\",\"" + anthropic + "\",\"" + gemini + "\"]";
        keyId = gw.admin.createKey("{\"name\":\"f\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":" + settingIds + "}").get("keyId").asText();
        sdk = Sdk.client(gw, GATEWAY_KEY);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        upstream.on("POST", OPENAI_PATH, OpenAiApi.error(500, "server_error", "The server had an error while processing your request."));
    }

    static long calls(String path) {
        return upstream.received().stream().filter(r -> r.path().equals(path)).count();
    }

    static void anthropicAnswers(long input, long output) {
        upstream.on("POST", ANTHROPIC_PATH, AnthropicApi.messages(ANTHROPIC_KEY, body -> body.path("stream").asBoolean()
                ? Reply.sse(Fixtures.anthropicStream(ANTHROPIC_MODEL, List.of("from ", "claude"), input, output))
                : Reply.json(200, AnthropicApi.textMessage(ANTHROPIC_MODEL, "from claude", input, output))));
    }

    static ChatCompletionCreateParams.Builder withModels(String question) {
        return Sdk.chat(MODELS.get(0)).putAdditionalBodyProperty("models", JsonValue.from(MODELS)).addUserMessage(question);
    }

    /** The failed OpenAI attempt (status 500, no cost) and the answering Anthropic attempt (priced), found by the answer's prompt tokens. */
    static void assertTwoAttempts(long prompt, long completion, java.util.function.Predicate<JsonNode> ofThisRequest) {
        JsonNode failed = Metering.events(gw.admin, keyId, e -> ofThisRequest.test(e) && e.get("status").asInt() == 500, 1).get(0);
        assertThat(failed.get("provider").asText()).isEqualTo("openai");
        assertThat(failed.get("model").asText()).isEqualTo(OPENAI_MODEL);
        assertThat(failed.get("cost_in_usd").asDouble()).isZero();
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, prompt), "anthropic", ANTHROPIC_MODEL, prompt, completion, "anthropic");
    }

    @Test
    void aModelsListFailsOverFromOpenAi500ToAnthropic() {
        anthropicAnswers(5101, 7);
        ChatCompletion c = sdk.chat().completions().create(withModels("first question").build());
        assertThat(c.choices().get(0).message().content()).hasValue("from claude");
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(5101);
        assertThat(calls(OPENAI_PATH)).isEqualTo(1);
        assertThat(calls(ANTHROPIC_PATH)).isEqualTo(1);
        assertThat(Golden.parse(upstream.received().get(0).body()).get("model").asText()).isEqualTo(OPENAI_MODEL);
        assertThat(Golden.parse(upstream.last().body()).get("model").asText()).isEqualTo(ANTHROPIC_MODEL);
        assertTwoAttempts(5101, 7, e -> true);
    }

    @Test
    void aModelsListFailsOverForStreamsToo() {
        anthropicAnswers(5102, 8);
        List<ChatCompletionChunk> chunks = Sdk.stream(sdk, withModels("streamed question").streamOptions(Sdk.includeUsage()).build());
        assertThat(Sdk.text(chunks)).isEqualTo("from claude");
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().promptTokens()).isEqualTo(5102);
        assertThat(calls(OPENAI_PATH)).isEqualTo(1);
        assertThat(calls(ANTHROPIC_PATH)).isEqualTo(1);
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 5102), "anthropic", ANTHROPIC_MODEL, 5102, 8, "anthropic");
    }

    @Test
    void aModelsListFailsOverOnAClosedConnectionAndOn429() {
        anthropicAnswers(5103, 3);
        upstream.on("POST", OPENAI_PATH, Reply.closeConnection());
        assertThat(sdk.chat().completions().create(withModels("closed").build()).choices().get(0).message().content()).hasValue("from claude");
        upstream.on("POST", OPENAI_PATH, OpenAiApi.error(429, "rate_limit_exceeded", "Rate limit reached"));
        assertThat(sdk.chat().completions().create(withModels("limited").build()).choices().get(0).message().content()).hasValue("from claude");
        assertThat(calls(ANTHROPIC_PATH)).isEqualTo(2);
    }

    @Test
    void aRequestThatFailsOverCountsOnceAgainstTheRateLimit() {
        anthropicAnswers(5107, 2);
        gw.admin.createKey("{\"name\":\"r\",\"key\":\"gw-failover-rate\",\"settingIds\":" + settingIds
                + ",\"rateLimitOverTime\":2,\"rateLimitUnit\":\"h\"}");
        OpenAIClient limited = Sdk.client(gw, "gw-failover-rate");
        for (int i = 0; i < 2; i++) {
            assertThat(limited.chat().completions().create(withModels("counted once " + i).build()).choices().get(0).message().content())
                    .hasValue("from claude");
        }
        assertThat(calls(OPENAI_PATH)).isEqualTo(2);
        assertThatThrownBy(() -> limited.chat().completions().create(withModels("third").build()))
                .isInstanceOf(com.openai.errors.RateLimitException.class);
        assertThat(calls(OPENAI_PATH)).isEqualTo(2);
    }

    @Test
    void aModelsListDoesNotFailOverOnA400() {
        anthropicAnswers(5104, 3);
        upstream.on("POST", OPENAI_PATH, OpenAiApi.error(400, "invalid_request_error", "bad field"));
        assertThatThrownBy(() -> sdk.chat().completions().create(withModels("bad").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("bad field");
        assertThat(calls(ANTHROPIC_PATH)).isZero();
    }

    @Test
    void anAnthropicOverloaded529FailsOverLikeEvery5xx() {
        // Anthropic answers 529 overloaded_error when it is overloaded: the most common reason to fail over from it
        upstream.on("POST", OPENAI_PATH, Reply.json(200, Fixtures.chatCompletion(OPENAI_MODEL, "from openai", 5106, 2)));
        upstream.on("POST", ANTHROPIC_PATH, AnthropicApi.error(529, "overloaded_error", "Overloaded"));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(MODELS.get(1))
                .putAdditionalBodyProperty("models", JsonValue.from(List.of(MODELS.get(1), MODELS.get(0))))
                .addUserMessage("anthropic first").build());
        assertThat(c.choices().get(0).message().content()).hasValue("from openai");
    }

    @Test
    void aModelsListFailsOverOpenAiToAnthropicToGemini() {
        upstream.on("POST", ANTHROPIC_PATH, AnthropicApi.error(503, "api_error", "Service unavailable"));
        upstream.on("POST", GeminiApi.generatePath(GEMINI_MODEL), GeminiApi.generate(GEMINI_KEY, false,
                body -> Reply.json(200, GeminiApi.textAnswer(GEMINI_MODEL, "from gemini", 5105, 4))));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(MODELS.get(0))
                .putAdditionalBodyProperty("models", JsonValue.from(List.of(MODELS.get(0), MODELS.get(1), "gemini/" + GEMINI_MODEL)))
                .addUserMessage("three providers").build());
        assertThat(c.choices().get(0).message().content()).hasValue("from gemini");
        assertThat(calls(OPENAI_PATH)).isEqualTo(1);
        assertThat(calls(ANTHROPIC_PATH)).isEqualTo(1);
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 5105), "gemini", GEMINI_MODEL, 5105, 4, "google");
        JsonNode overloaded = Metering.events(gw.admin, keyId, e -> e.get("status").asInt() == 503, 1).get(0);
        assertThat(overloaded.get("provider").asText()).isEqualTo("anthropic");
    }

    @Test
    void aCachedCrossProviderRouteAnswerIsServedWithoutCallingAnUpstream() {
        anthropicAnswers(5203, 5);
        String path = route("{\"enabled\":true,\"ttl\":\"1h\"}");
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"cache me\"}]}";
        ProxyClient.Reply first = proxy.postJson(path, GATEWAY_KEY, body);
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        int upstreamCalls = upstream.calls();
        ProxyClient.Reply second = proxy.postJson(path, GATEWAY_KEY, body);
        assertThat(second.status()).isEqualTo(200);
        assertThat(upstream.calls()).as("a cache hit calls no upstream").isEqualTo(upstreamCalls);
        assertThat(Golden.parse(second.body()).get("choices").get(0).get("message").get("content").asText()).isEqualTo("from claude");
        ProxyClient.Reply other = proxy.postJson(path, GATEWAY_KEY, "{\"messages\":[{\"role\":\"user\",\"content\":\"another question\"}]}");
        assertThat(other.status()).isEqualTo(200);
        assertThat(upstream.calls()).as("another request misses the cache").isGreaterThan(upstreamCalls);
        String id = routeId(path);
        Metering.events(gw.admin, keyId, e -> e.path("routeId").asText().equals(id) && e.get("provider").asText().equals("cached"), 1);
    }

    /** A route of an OpenAI step then an Anthropic step; returns its proxy path. */
    static String route() {
        return route("{\"enabled\":false}");
    }

    static String route(String cacheConfig) {
        String path = "/unified-failover-" + routes.incrementAndGet();
        AdminClient.Reply r = gw.admin.post("/api/routes", "{\"name\":\"x\",\"path\":\"" + path + "\",\"keyIds\":[\"" + keyId + "\"],\"steps\":["
                + "{\"provider\":\"openai\",\"model\":\"" + OPENAI_MODEL + "\",\"timeout\":\"5s\"},"
                + "{\"provider\":\"anthropic\",\"model\":\"" + ANTHROPIC_MODEL + "\",\"timeout\":\"5s\"}],\"cacheConfig\":" + cacheConfig + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return "/api/routes" + path;
    }

    static String routeId(String proxyPath) {
        return gw.admin.get("/api/routes").json().findParents("path").stream()
                .filter(r -> ("/api/routes" + r.get("path").asText()).equals(proxyPath)).findFirst().orElseThrow().get("id").asText();
    }

    static void assertRouteAttempts(String path, long prompt, long completion) {
        String id = routeId(path);
        JsonNode failed = Metering.events(gw.admin, keyId, e -> e.path("routeId").asText().equals(id) && e.get("status").asInt() == 500, 1).get(0);
        assertThat(failed.get("provider").asText()).isEqualTo("openai");
        assertThat(failed.get("routeStep").asInt()).isEqualTo(1);
        JsonNode answered = Metering.events(gw.admin, keyId, e -> e.path("routeId").asText().equals(id) && e.get("status").asInt() == 200, 1).get(0);
        assertThat(answered.get("routeStep").asInt()).isEqualTo(2);
        Metering.assertMetered(answered, "anthropic", ANTHROPIC_MODEL, prompt, completion, "anthropic");
        assertThat(Metering.events(gw.admin, keyId, e -> e.path("routeId").asText().equals(id), 2)).hasSize(2);
    }

    @Test
    void aRouteFailsOverFromAnOpenAiStepAnswering500ToAnAnthropicStepAnsweringInOpenAiFormat() {
        anthropicAnswers(5201, 11);
        String path = route();
        ProxyClient.Reply r = proxy.postJson(path, GATEWAY_KEY, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":50}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode body = Golden.parse(r.body());
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("choices").get(0).get("message").get("content").asText()).isEqualTo("from claude");
        assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.get("usage").get("prompt_tokens").asLong()).isEqualTo(5201);
        assertThat(calls(OPENAI_PATH)).isEqualTo(1);
        assertThat(calls(ANTHROPIC_PATH)).isEqualTo(1);
        JsonNode sent = Golden.parse(upstream.last().body());
        assertThat(sent.get("model").asText()).isEqualTo(ANTHROPIC_MODEL);
        assertThat(sent.get("max_tokens").asLong()).isEqualTo(50);
        assertRouteAttempts(path, 5201, 11);
    }

    @Test
    void aRouteFailsOverForStreamsAndStreamsOpenAiChunks() {
        anthropicAnswers(5202, 12);
        String path = route();
        ProxyClient.Reply r = proxy.postJson(path, GATEWAY_KEY,
                "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> data = r.text().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(Golden::parse).toList();
        assertThat(chunks).allSatisfy(c -> assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk"));
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks) {
            for (JsonNode choice : c.path("choices")) {
                if (choice.path("delta").path("content").isTextual()) text.append(choice.get("delta").get("content").asText());
            }
        }
        assertThat(text).hasToString("from claude");
        assertThat(chunks.get(chunks.size() - 1).get("usage").get("prompt_tokens").asLong()).isEqualTo(5202);
        assertThat(calls(OPENAI_PATH)).isEqualTo(1);
        assertThat(calls(ANTHROPIC_PATH)).isEqualTo(1);
        assertRouteAttempts(path, 5202, 12);
    }
}
