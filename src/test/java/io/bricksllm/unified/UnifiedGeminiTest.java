package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code gemini/<model>} through the unified endpoint with the official openai-java SDK, against a strict Gemini API mock. */
class UnifiedGeminiTest {
    static final String MODEL = "gemini-2.5-flash";
    static final String UNIFIED = "gemini/" + MODEL;
    static final String EMBEDDING_MODEL = "gemini-embedding-001";
    static final String PROVIDER_KEY = "AIza-e2e-provider";
    static final String GATEWAY_KEY = "gw-unified-gemini";
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        // url is the API root: the gateway adds /v1beta/models/<model>:<method>
        String s = gw.admin.createSetting("gemini", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("")));
        keyId = gw.admin.createKey("{\"name\":\"u\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
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
    }

    static void answer(Function<JsonNode, Reply> answer) {
        upstream.on("POST", GeminiApi.generatePath(MODEL), GeminiApi.generate(PROVIDER_KEY, false, answer));
    }

    static void answerStream(Function<JsonNode, Reply> answer) {
        upstream.on("POST", GeminiApi.streamPath(MODEL), GeminiApi.generate(PROVIDER_KEY, true, answer));
    }

    static JsonNode lastBody() {
        return Golden.parse(upstream.last().body());
    }

    @Test
    void plainChatIsTranslatedToGenerateContentAndAnsweredAsAChatCompletion() {
        answer(body -> Reply.json(200, GeminiApi.textAnswer(MODEL, "Hi there!", 2101, 17)));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addSystemMessage("Be brief.").addUserMessage("Hello")
                .temperature(0.2).maxCompletionTokens(300).build());

        assertThat(c.choices().get(0).message().content()).hasValue("Hi there!");
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(2101);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(17);

        MockUpstream.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(r.header("Authorization")).as("the gateway key never reaches Google").isNull();
        assertThat(r.query() == null ? "" : r.query()).doesNotContain("key=");
        JsonNode body = lastBody();
        assertThat(body.get("systemInstruction").toString()).contains("Be brief.");
        assertThat(body.get("contents")).hasSize(1);
        assertThat(body.get("contents").get(0).get("role").asText()).isEqualTo("user");
        assertThat(body.get("generationConfig").get("maxOutputTokens").asLong()).isEqualTo(300);
        assertThat(body.get("generationConfig").get("temperature").asDouble()).isEqualTo(0.2);

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 2101), "gemini", MODEL, 2101, 17, "google");
    }

    @Test
    void streamedTextUsesAltSseConcatenatesAndIncludeUsagePutsUsageInTheLastChunk() {
        answerStream(body -> Reply.sse(GeminiApi.textStream(MODEL, List.of("Hel", "lo", " world"), 2102, 9)));
        List<ChatCompletionChunk> chunks = Sdk.stream(sdk, Sdk.chat(UNIFIED).addUserMessage("Say hello").streamOptions(Sdk.includeUsage()).build());

        assertThat(Sdk.text(chunks)).isEqualTo("Hello world");
        assertThat(Sdk.finishReasons(chunks)).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.usage()).as("usage in the last chunk").isPresent();
        assertThat(last.usage().get().promptTokens()).isEqualTo(2102);
        assertThat(last.usage().get().completionTokens()).isEqualTo(9);
        assertThat(upstream.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(upstream.last().query()).contains("alt=sse");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 2102), "gemini", MODEL, 2102, 9, "google");
    }

    @Test
    void streamedFunctionCallsArriveAsOpenAiToolCallDeltas() {
        answerStream(body -> Reply.sse(Golden.sseEvents("/dialect/gemini/streams/tool-calls.gemini.sse")));
        List<ChatCompletionChunk> chunks = Sdk.stream(sdk, Sdk.chat(UNIFIED).addUserMessage("Weather in Paris and Rome?")
                .addTool(Sdk.weatherTool()).build());

        Map<Long, Sdk.StreamedCall> calls = Sdk.toolCalls(chunks);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0L).name()).isEqualTo("get_weather");
        assertThat(calls.get(0L).id()).isNotBlank();
        assertThat(Golden.parse(calls.get(0L).arguments())).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));
        assertThat(calls.get(1L).id()).isNotBlank().isNotEqualTo(calls.get(0L).id());
        assertThat(Golden.parse(calls.get(1L).arguments())).isEqualTo(Golden.parse("{\"city\":\"Rome\"}"));
        assertThat(Sdk.text(chunks)).isEqualTo("Let me check.");
        assertThat(Sdk.finishReasons(chunks)).containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
        JsonNode declaration = lastBody().get("tools").get(0).get("functionDeclarations").get(0);
        assertThat(declaration.get("name").asText()).isEqualTo("get_weather");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 50), "gemini", MODEL, 50, 20, "google");
    }

    @Test
    void toolsRoundTripSendsFunctionCallThenFunctionResponses() {
        answer(body -> {
            JsonNode contents = body.get("contents");
            boolean answersTools = contents.get(contents.size() - 1).get("parts").get(0).has("functionResponse");
            return answersTools
                    ? Reply.json(200, GeminiApi.textAnswer(MODEL, "Rome is warmer.", 2104, 6))
                    : Reply.json(200, Golden.text("/dialect/gemini/responses/tool-calls.gemini.json"));
        });
        ChatCompletionCreateParams.Builder ask = Sdk.chat(UNIFIED).addUserMessage("Weather in Paris and Rome?").addTool(Sdk.weatherTool());
        ChatCompletion first = sdk.chat().completions().create(ask.build());
        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageFunctionToolCall> calls = first.choices().get(0).message().toolCalls().orElseThrow().stream()
                .map(t -> t.asFunction()).toList();
        assertThat(calls).hasSize(2).allSatisfy(call -> assertThat(call.function().name()).isEqualTo("get_weather"));
        assertThat(calls.get(0).id()).isNotEqualTo(calls.get(1).id());

        ask.addMessage(first.choices().get(0).message());
        ask.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(0).id()).content("18C").build());
        ask.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(1).id()).content("21C").build());
        ChatCompletion second = sdk.chat().completions().create(ask.build());
        assertThat(second.choices().get(0).message().content()).hasValue("Rome is warmer.");

        JsonNode contents = lastBody().get("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(1).get("role").asText()).isEqualTo("model");
        List<JsonNode> fc = parts(contents.get(1), "functionCall");
        assertThat(fc).hasSize(2);
        assertThat(fc.get(0).get("args")).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));
        assertThat(contents.get(2).get("role").asText()).isEqualTo("user");
        List<JsonNode> fr = parts(contents.get(2), "functionResponse");
        assertThat(fr).hasSize(2).allSatisfy(p -> assertThat(p.get("name").asText()).isEqualTo("get_weather"));
        assertThat(fr.get(0).get("response").toString()).contains("18C");
        assertThat(fr.get(1).get("response").toString()).contains("21C");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 2104), "gemini", MODEL, 2104, 6, "google");
    }

    @Test
    void jsonSchemaOutputAsksForJsonAndTheAnswerParses() {
        answer(body -> {
            JsonNode config = body.path("generationConfig");
            if (!config.path("responseMimeType").asText().equals("application/json")) {
                return GeminiApi.error(400, "INVALID_ARGUMENT", "test: no responseMimeType application/json in " + body);
            }
            return Reply.json(200, GeminiApi.textAnswer(MODEL, "{\"name\":\"John Smith\",\"age\":42}", 2105, 12));
        });
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("John Smith is 42.")
                .responseFormat(Sdk.personFormat()).build());
        JsonNode person = Golden.parse(c.choices().get(0).message().content().orElseThrow());
        assertThat(person.get("name").asText()).isEqualTo("John Smith");
        assertThat(person.get("age").asInt()).isEqualTo(42);
        JsonNode config = lastBody().get("generationConfig");
        JsonNode schema = config.has("responseJsonSchema") ? config.get("responseJsonSchema") : config.get("responseSchema");
        assertThat(schema).as("a response schema in " + config).isNotNull();
        assertThat(schema.toString()).contains("\"age\"");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 2105), "gemini", MODEL, 2105, 12, "google");
    }

    @Test
    void anImageDataUrlBecomesInlineData() {
        answer(body -> Reply.json(200, GeminiApi.textAnswer(MODEL, "A single pixel.", 2106, 5)));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED)
                .addUserMessageOfArrayOfContentParts(Sdk.textAndImage("What is in this image?")).build());
        assertThat(c.choices().get(0).message().content()).hasValue("A single pixel.");
        JsonNode user = lastBody().get("contents").get(0);
        JsonNode inline = parts(user, "inlineData").get(0);
        assertThat(inline.get("mimeType").asText()).isEqualTo("image/png");
        assertThat(inline.get("data").asText()).isEqualTo(Sdk.PNG_BASE64);
        assertThat(user.toString()).contains("What is in this image?");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 2106), "gemini", MODEL, 2106, 5, "google");
    }

    @Test
    void embeddingsUseBatchEmbedContentsAndArePricedAtGooglesPrice() {
        upstream.on("POST", GeminiApi.batchEmbedPath(EMBEDDING_MODEL), GeminiApi.batchEmbed(PROVIDER_KEY, EMBEDDING_MODEL,
                body -> Reply.json(200, Golden.text("/dialect/gemini/embeddings/answer.gemini.json"))));
        CreateEmbeddingResponse e = sdk.embeddings().create(EmbeddingCreateParams.builder().model("gemini/" + EMBEDDING_MODEL)
                .inputOfArrayOfStrings(List.of("The food was delicious", "and the waiter")).build());

        assertThat(e.data()).hasSize(2);
        assertThat(e.data().get(0).embedding()).containsExactly(0.5f, -1.0f, 0.25f);
        assertThat(e.data().get(1).embedding()).containsExactly(1.0f, 2.0f, -0.125f);
        assertThat(upstream.last().path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        JsonNode requests = lastBody().get("requests");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).get("content").toString()).contains("and the waiter");

        // Gemini reports no usage for embeddings: the gateway counts the tokens; the cost is that count at Google's price
        JsonNode event = Metering.events(gw.admin, keyId, ev -> ev.get("model").asText().equals(EMBEDDING_MODEL), 1).get(0);
        assertThat(event.get("provider").asText()).isEqualTo("gemini");
        long tokens = event.get("prompt_token_count").asLong();
        assertThat(tokens).isPositive();
        assertThat(event.get("cost_in_usd").asDouble()).isPositive()
                .isCloseTo(Metering.cost("google", EMBEDDING_MODEL, tokens, 0), within(1e-12));
    }

    @Test
    void aGemini429IsA429InOpenAiErrorShape() {
        answer(body -> Reply.json(429, Golden.text("/dialect/gemini/errors/rate-limit.gemini.json")));
        io.bricksllm.testing.ProxyClient.Reply r = new io.bricksllm.testing.ProxyClient(gw.proxyUrl()).postJson("/v1/chat/completions", GATEWAY_KEY,
                "{\"model\":\"" + UNIFIED + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.status()).isEqualTo(429);
        JsonNode error = Golden.parse(r.body()).get("error");
        assertThat(error.get("message").asText()).contains("Resource has been exhausted");
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void cachedTokensAreReportedAndPricedAtGooglesCachePrice() {
        answer(body -> Reply.json(200, Golden.text("/dialect/gemini/responses/text-cached.gemini.json")));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("hi").build());
        var usage = c.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(1200);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).hasValue(1024L);
        // promptTokenCount includes the cached 1,024: 176 at $0.30, 1,024 at $0.03, 4 output at $2.50 per million
        double expected = (176 * 0.3 + 1024 * 0.03 + 4 * 2.5) / 1_000_000;
        JsonNode e = Metering.events(gw.admin, keyId, ev -> ev.get("completion_token_count").asLong() == 4, 1).get(0);
        assertThat(e.get("cost_in_usd").asDouble()).as(e.toString()).isCloseTo(expected, within(1e-12));
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(1200);
        assertThat(e.get("cache_read_token_count").asLong()).isEqualTo(1024);
    }

    @Test
    void thinkingComesBackAsReasoningContentAndThoughtTokensCountAsReasoning() {
        upstream.on("POST", GeminiApi.generatePath("gemini-2.5-pro"), GeminiApi.generate(PROVIDER_KEY, false,
                body -> Reply.json(200, Golden.text("/dialect/gemini/responses/thinking.gemini.json"))));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat("gemini/gemini-2.5-pro").addUserMessage("And times 3?").build());
        assertThat(c.choices().get(0).message().content()).hasValue("12");
        assertThat(c.choices().get(0).message()._additionalProperties().get("reasoning_content"))
                .isEqualTo(com.openai.core.JsonValue.from("2 + 2 is 4; times 3 is 12."));
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(92);
        assertThat(c.usage().orElseThrow().completionTokensDetails().orElseThrow().reasoningTokens()).hasValue(90L);
        JsonNode e = Metering.events(gw.admin, keyId, ev -> ev.get("model").asText().equals("gemini-2.5-pro"), 1).get(0);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(92);
        assertThat(e.get("reasoning_token_count").asLong()).isEqualTo(90);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(Metering.cost("google", "gemini-2.5-pro", 30, 92), within(1e-12));
    }

    @Test
    void aSafetyBlockFinishesWithContentFilter() {
        answer(body -> Reply.json(200, Golden.text("/dialect/gemini/responses/safety.gemini.json")));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("something dangerous").build());
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    }

    static List<JsonNode> parts(JsonNode content, String field) {
        java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
        content.get("parts").forEach(p -> {
            if (p.has(field)) out.add(p.get(field));
        });
        return out;
    }
}
