package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** OpenAI-dialect providers (OpenAI, Azure OpenAI, vLLM, Mistral) through the unified endpoint with the official openai-java SDK. */
class UnifiedOpenAiCompatibleTest {
    static final String GATEWAY_KEY = "gw-unified-openai-compatible";
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static String keyId;

    /**
     * One provider as the test reaches it.
     *
     * @param model        the upstream model id (for Azure the deployment)
     * @param path         where the upstream receives chat completions
     * @param header       the credential header and its expected value
     * @param priceProvider the price book's provider for the expected cost, or null when the model is unpriced
     * @param prompt       the prompt token count this provider's answers carry (tells the events apart)
     */
    record Target(String provider, String model, String path, String header, String credential, String priceProvider, long prompt) {
        String unified() {
            return provider + "/" + model;
        }

        @Override
        public String toString() {
            return provider;
        }
    }

    static final Target OPENAI = new Target("openai", "gpt-4o-mini", "/openai/v1/chat/completions", "Authorization", "Bearer sk-openai-e2e", "openai", 4101);
    static final Target AZURE = new Target("azure", "gpt-4o-mini", "/az/openai/deployments/gpt-4o-mini/chat/completions", "api-key", "azure-e2e", "openai", 4201);
    static final Target VLLM = new Target("vllm", "meta-llama/Llama-3.1-8B-Instruct", "/vllm/v1/chat/completions", "Authorization", "Bearer vllm-e2e", null, 4301);
    static final Target MISTRAL = new Target("mistral", "mistral-large", "/mistral/v1/chat/completions", "Authorization", "Bearer mistral-e2e", "mistral", 4401);

    static Stream<Target> targets() {
        return Stream.of(OPENAI, AZURE, VLLM, MISTRAL);
    }

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String openai = gw.admin.createSetting("openai", Map.of("apikey", "sk-openai-e2e", "url", upstream.url("/openai/v1")));
        String azure = gw.admin.createSetting("azure", Map.of("apikey", "azure-e2e", "url", upstream.url("/az")));
        String vllm = gw.admin.createSetting("vllm", Map.of("apikey", "vllm-e2e", "url", upstream.url("/vllm")));
        String mistral = gw.admin.createSetting("mistral", Map.of("apikey", "mistral-e2e", "url", upstream.url("/mistral/v1")));
        keyId = gw.admin.createKey("{\"name\":\"u\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + openai + "\",\"" + azure + "\",\""
                + vllm + "\",\"" + mistral + "\"]}").get("keyId").asText();
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

    static void answer(Target t, Function<JsonNode, Reply> answer) {
        upstream.on("POST", t.path(), OpenAiApi.chat(t.header(), t.credential(), t.model(), answer));
    }

    static JsonNode lastBody() {
        return Golden.parse(upstream.last().body());
    }

    static void assertMetered(Target t, long prompt, long completion) {
        JsonNode e = Metering.eventWithPrompt(gw.admin, keyId, prompt);
        if (t.priceProvider() != null) {
            Metering.assertMetered(e, t.provider(), t.model(), prompt, completion, t.priceProvider());
            return;
        }
        assertThat(e.get("provider").asText()).isEqualTo(t.provider());
        assertThat(e.get("model").asText()).isEqualTo(t.model());
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(completion);
        assertThat(e.get("cost_in_usd").asDouble()).isZero();
        assertThat(e.get("unpriced").asBoolean()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void plainChatReachesTheProviderWithItsCredentialAndTheBareModel(Target t) {
        answer(t, body -> Reply.json(200, Fixtures.chatCompletion(t.model(), "hi from " + t.provider(), t.prompt(), 7)));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(t.unified()).addUserMessage("Hello").temperature(0.3).build());

        assertThat(c.choices().get(0).message().content()).hasValue("hi from " + t.provider());
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(t.prompt());
        MockUpstream.Received r = upstream.last();
        assertThat(r.path()).isEqualTo(t.path());
        assertThat(r.header(t.header())).isEqualTo(t.credential());
        if (!t.header().equals("Authorization")) assertThat(r.header("Authorization")).isNull();
        if (t == AZURE) assertThat(r.query()).as("Azure needs an api-version").contains("api-version=");
        assertThat(lastBody().get("temperature").asDouble()).isEqualTo(0.3);
        assertMetered(t, t.prompt(), 7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void streamedTextConcatenatesAndIncludeUsagePutsUsageInTheLastChunk(Target t) {
        long prompt = t.prompt() + 50;
        answer(t, body -> Reply.sse(Fixtures.chatStream(t.model(), List.of("Hel", "lo", " world"), prompt, 9,
                body.path("stream_options").path("include_usage").asBoolean())));
        List<ChatCompletionChunk> chunks = Sdk.stream(sdk, Sdk.chat(t.unified()).addUserMessage("Say hello").streamOptions(Sdk.includeUsage()).build());

        assertThat(Sdk.text(chunks)).isEqualTo("Hello world");
        assertThat(Sdk.finishReasons(chunks)).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.usage()).as("usage in the last chunk").isPresent();
        assertThat(last.usage().get().promptTokens()).isEqualTo(prompt);
        assertThat(upstream.last().path()).isEqualTo(t.path());
        assertMetered(t, prompt, 9);
    }

    @Test
    void streamedToolCallDeltasConcatenate() {
        answer(OPENAI, body -> Reply.sse(OpenAiApi.toolCallStream(OPENAI.model())));
        List<ChatCompletionChunk> chunks = Sdk.stream(sdk, Sdk.chat(OPENAI.unified()).addUserMessage("Weather in Paris and Rome?")
                .addTool(Sdk.weatherTool()).build());
        Map<Long, Sdk.StreamedCall> calls = Sdk.toolCalls(chunks);
        assertThat(calls.get(0L)).isEqualTo(new Sdk.StreamedCall("call_P", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(calls.get(1L)).isEqualTo(new Sdk.StreamedCall("call_R", "get_weather", "{\"city\":\"Rome\"}"));
        assertThat(Sdk.finishReasons(chunks)).containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
        assertThat(lastBody().get("tools").get(0).get("function").get("name").asText()).isEqualTo("get_weather");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 4105), "openai", OPENAI.model(), 4105, 30, "openai");
    }

    @Test
    void toolsRoundTripSendsToolCallsThenToolMessages() {
        answer(OPENAI, body -> {
            JsonNode messages = body.get("messages");
            JsonNode last = messages.get(messages.size() - 1);
            if (!last.path("role").asText().equals("tool")) return Reply.json(200, OpenAiApi.toolCallAnswer(OPENAI.model()));
            // as OpenAI checks: every tool message answers a tool call of the assistant turn before it
            JsonNode assistant = messages.get(1);
            boolean matched = assistant.path("tool_calls").size() == 2
                    && messages.get(2).path("tool_call_id").asText().equals(assistant.get("tool_calls").get(0).get("id").asText())
                    && messages.get(3).path("tool_call_id").asText().equals(assistant.get("tool_calls").get(1).get("id").asText());
            return matched ? Reply.json(200, Fixtures.chatCompletion(OPENAI.model(), "Rome is warmer.", 4106, 6))
                    : OpenAiApi.error(400, "invalid_request_error", "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.");
        });
        ChatCompletionCreateParams.Builder ask = Sdk.chat(OPENAI.unified()).addUserMessage("Weather in Paris and Rome?").addTool(Sdk.weatherTool());
        ChatCompletion first = sdk.chat().completions().create(ask.build());
        List<ChatCompletionMessageFunctionToolCall> calls = first.choices().get(0).message().toolCalls().orElseThrow().stream()
                .map(t -> t.asFunction()).toList();
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).containsExactly("call_P", "call_R");
        ask.addMessage(first.choices().get(0).message());
        ask.addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_P").content("18C").build());
        ask.addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_R").content("21C").build());
        ChatCompletion second = sdk.chat().completions().create(ask.build());
        assertThat(second.choices().get(0).message().content()).hasValue("Rome is warmer.");
        JsonNode messages = lastBody().get("messages");
        assertThat(messages.get(2).get("content").toString()).contains("18C");
        assertThat(messages.get(3).get("content").toString()).contains("21C");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 4106), "openai", OPENAI.model(), 4106, 6, "openai");
    }

    @Test
    void jsonSchemaOutputIsAskedForAndTheAnswerParses() {
        answer(OPENAI, body -> body.path("response_format").path("type").asText().equals("json_schema")
                ? Reply.json(200, Fixtures.chatCompletion(OPENAI.model(), "{\\\"name\\\":\\\"John Smith\\\",\\\"age\\\":42}", 4107, 12))
                : OpenAiApi.error(400, "invalid_request_error", "test: no json_schema response_format in " + body));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(OPENAI.unified()).addUserMessage("John Smith is 42.")
                .responseFormat(Sdk.personFormat()).build());
        JsonNode person = Golden.parse(c.choices().get(0).message().content().orElseThrow());
        assertThat(person.get("age").asInt()).isEqualTo(42);
        assertThat(lastBody().get("response_format").get("json_schema").get("schema").toString()).contains("\"age\"");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 4107), "openai", OPENAI.model(), 4107, 12, "openai");
    }

    @Test
    void anImageDataUrlReachesOpenAiAsAnImageUrlPart() {
        answer(OPENAI, body -> Reply.json(200, Fixtures.chatCompletion(OPENAI.model(), "A single pixel.", 4108, 5)));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(OPENAI.unified())
                .addUserMessageOfArrayOfContentParts(Sdk.textAndImage("What is in this image?")).build());
        assertThat(c.choices().get(0).message().content()).hasValue("A single pixel.");
        assertThat(lastBody().get("messages").get(0).toString()).contains("image_url").contains(Sdk.PNG_DATA_URL);
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 4108), "openai", OPENAI.model(), 4108, 5, "openai");
    }

    @Test
    void partsOnlyOpenAiUnderstandsStillReachOpenAi() {
        // audio input is refused for providers that cannot take it, but OpenAI can: the part must pass unchanged
        String model = "gpt-4o-audio-preview";
        upstream.on("POST", OPENAI.path(), OpenAiApi.chat(OPENAI.header(), OPENAI.credential(), model,
                body -> Reply.json(200, Fixtures.chatCompletion(model, "I hear a beep.", 4110, 4))));
        io.bricksllm.testing.ProxyClient.Reply r = new io.bricksllm.testing.ProxyClient(gw.proxyUrl()).postJson("/v1/chat/completions", GATEWAY_KEY,
                "{\"model\":\"openai/" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what is this?\"},"
                + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}]}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.text()).contains("I hear a beep.");
        assertThat(lastBody().get("messages").get(0).get("content").get(1).get("input_audio").get("data").asText()).isEqualTo("UklGRg==");
    }

    @Test
    void openAiEmbeddings() {
        String model = "text-embedding-3-small";
        upstream.on("POST", "/openai/v1/embeddings", OpenAiApi.chat("Authorization", "Bearer sk-openai-e2e", model,
                body -> OpenAiApi.embeddings(body, model, List.of(0.5f, -0.25f, 1.0f), 4109)));
        CreateEmbeddingResponse e = sdk.embeddings().create(EmbeddingCreateParams.builder().model("openai/" + model).input("Hello world").build());
        assertThat(e.data().get(0).embedding()).containsExactly(0.5f, -0.25f, 1.0f);
        assertThat(lastBody().get("input").toString()).contains("Hello world");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 4109), "openai", model, 4109, 0, "openai");
    }
}
