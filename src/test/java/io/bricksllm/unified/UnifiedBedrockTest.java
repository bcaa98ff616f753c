package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.bricksllm.store.Json;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bedrock/<model id>} through the unified endpoint with the official openai-java SDK, against a Bedrock runtime
 * mock that recomputes every SigV4 signature with the AWS SDK's signer and answers streams in AWS event-stream frames.
 */
class UnifiedBedrockTest {
    static final String MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0";
    static final String UNIFIED = "bedrock/" + MODEL;
    static final String TITAN = "amazon.titan-embed-text-v2:0";
    static final BedrockApi.Credentials AWS = new BedrockApi.Credentials("AKIDE2EEXAMPLE", "e2e/secret+KEY", "eu-west-1", Optional.empty());
    static final BedrockApi.Credentials TEMPORARY = new BedrockApi.Credentials("ASIAE2EEXAMPLE", "temp-secret", "us-east-1",
            Optional.of("session-token-e2e"));
    static final String GATEWAY_KEY = "gw-unified-bedrock";
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("bedrock", Map.of("awsAccessKeyId", AWS.accessKeyId(), "awsSecretAccessKey", AWS.secretAccessKey(),
                "awsRegion", AWS.region(), "url", upstream.url("")));
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
        upstream.on("POST", BedrockApi.converse(MODEL), BedrockApi.converse(AWS, answer));
    }

    static void answerStream(Function<JsonNode, Reply> answer) {
        upstream.on("POST", BedrockApi.converseStream(MODEL), BedrockApi.converse(AWS, answer));
    }

    static JsonNode lastBody() {
        return Golden.parse(upstream.last().body());
    }

    @Test
    void plainChatIsASignedConverseCallAnsweredAsAChatCompletion() {
        answer(body -> Reply.json(200, BedrockApi.textAnswer("Hi there!", 3101, 17)));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addSystemMessage("Be brief.").addUserMessage("Hello")
                .temperature(0.2).maxCompletionTokens(300).build());

        assertThat(c.choices().get(0).message().content()).hasValue("Hi there!");
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(3101);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(17);

        MockUpstream.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse");
        assertThat(r.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + AWS.accessKeyId() + "/")
                .contains("/eu-west-1/bedrock/aws4_request").doesNotContain(GATEWAY_KEY);
        assertThat(r.bodyText()).doesNotContain(AWS.secretAccessKey());
        JsonNode body = lastBody();
        assertThat(body.get("system").toString()).contains("Be brief.");
        assertThat(body.get("messages").get(0).get("role").asText()).isEqualTo("user");
        assertThat(body.get("inferenceConfig").get("maxTokens").asLong()).isEqualTo(300);
        assertThat(body.get("inferenceConfig").get("temperature").asDouble()).isEqualTo(0.2);

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 3101), "bedrock", MODEL, 3101, 17, "aws");
    }

    @Test
    void aSettingWithASessionTokenSendsAndSignsIt() {
        String s = gw.admin.createSetting("bedrock", Map.of("awsAccessKeyId", TEMPORARY.accessKeyId(),
                "awsSecretAccessKey", TEMPORARY.secretAccessKey(), "awsRegion", TEMPORARY.region(),
                "awsSessionToken", TEMPORARY.sessionToken().get(), "url", upstream.url("/temp")));
        gw.admin.createKey("{\"name\":\"t\",\"key\":\"gw-bedrock-temporary\",\"settingIds\":[\"" + s + "\"]}");
        upstream.on("POST", "/temp" + BedrockApi.converse(MODEL), BedrockApi.converse(TEMPORARY,
                body -> Reply.json(200, BedrockApi.textAnswer("temporary ok", 3102, 2))));
        ChatCompletion c = Sdk.client(gw, "gw-bedrock-temporary").chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("Hello").build());
        assertThat(c.choices().get(0).message().content()).hasValue("temporary ok");
        assertThat(upstream.last().header("X-Amz-Security-Token")).isEqualTo("session-token-e2e");
        assertThat(upstream.last().header("Authorization")).contains("x-amz-security-token");
    }

    @Test
    void aWrongSecretFailsAwsSignatureCheckAndTheCallerGetsThe403InOpenAiShape() {
        String s = gw.admin.createSetting("bedrock", Map.of("awsAccessKeyId", AWS.accessKeyId(), "awsSecretAccessKey", "not-the-secret",
                "awsRegion", AWS.region(), "url", upstream.url("")));
        gw.admin.createKey("{\"name\":\"w\",\"key\":\"gw-bedrock-wrong\",\"settingIds\":[\"" + s + "\"]}");
        answer(body -> Reply.json(200, BedrockApi.textAnswer("must not be reached", 1, 1)));
        assertThatThrownBy(() -> Sdk.client(gw, "gw-bedrock-wrong").chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("Hello").build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("signature");
                });
    }

    @Test
    void streamedTextIsDecodedFromEventStreamFramesAndIncludeUsagePutsUsageInTheLastChunk() {
        answerStream(body -> BedrockApi.textEventStream(List.of("Hel", "lo", " world"), 3103, 9));
        List<ChatCompletionChunk> chunks = Sdk.stream(sdk, Sdk.chat(UNIFIED).addUserMessage("Say hello").streamOptions(Sdk.includeUsage()).build());

        assertThat(Sdk.text(chunks)).isEqualTo("Hello world");
        assertThat(Sdk.finishReasons(chunks)).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.usage()).as("usage in the last chunk").isPresent();
        assertThat(last.usage().get().promptTokens()).isEqualTo(3103);
        assertThat(last.usage().get().completionTokens()).isEqualTo(9);
        assertThat(upstream.last().path()).isEqualTo("/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse-stream");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 3103), "bedrock", MODEL, 3103, 9, "aws");
    }

    @Test
    void streamedToolUseArrivesAsOpenAiToolCallDeltas() {
        answerStream(body -> BedrockApi.eventStream(Golden.json("/dialect/bedrock/streams/tool-calls.bedrock.json")));
        List<ChatCompletionChunk> chunks = Sdk.stream(sdk, Sdk.chat(UNIFIED).addUserMessage("Weather in Paris and Rome?")
                .addTool(Sdk.weatherTool()).build());

        Map<Long, Sdk.StreamedCall> calls = Sdk.toolCalls(chunks);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0L)).isEqualTo(new Sdk.StreamedCall("tooluse_01", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(calls.get(1L)).isEqualTo(new Sdk.StreamedCall("tooluse_02", "get_weather", "{\"city\":\"Rome\"}"));
        assertThat(Sdk.text(chunks)).isEqualTo("Checking both.");
        assertThat(Sdk.finishReasons(chunks)).containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
        assertThat(lastBody().get("toolConfig").get("tools").get(0).get("toolSpec").get("name").asText()).isEqualTo("get_weather");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 60), "bedrock", MODEL, 60, 45, "aws");
    }

    @Test
    void toolsRoundTripSendsToolUseThenMatchingToolResults() {
        answer(body -> {
            JsonNode messages = body.get("messages");
            boolean answersTools = messages.get(messages.size() - 1).get("content").get(0).has("toolResult");
            return answersTools
                    ? Reply.json(200, BedrockApi.textAnswer("Rome is warmer.", 3105, 6))
                    : Reply.json(200, Golden.text("/dialect/bedrock/responses/tool-use-cached.bedrock.json"));
        });
        ChatCompletionCreateParams.Builder ask = Sdk.chat(UNIFIED).addUserMessage("Weather in Paris and Rome?").addTool(Sdk.weatherTool());
        ChatCompletion first = sdk.chat().completions().create(ask.build());
        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageFunctionToolCall> calls = first.choices().get(0).message().toolCalls().orElseThrow().stream()
                .map(t -> t.asFunction()).toList();
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).containsExactly("tooluse_01", "tooluse_02");

        ask.addMessage(first.choices().get(0).message());
        ask.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(0).id()).content("18C").build());
        ask.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(1).id()).content("21C").build());
        ChatCompletion second = sdk.chat().completions().create(ask.build());
        assertThat(second.choices().get(0).message().content()).hasValue("Rome is warmer.");

        JsonNode messages = lastBody().get("messages");
        assertThat(messages).hasSize(3);
        List<JsonNode> uses = blocks(messages.get(1), "toolUse");
        assertThat(uses).extracting(b -> b.get("toolUseId").asText()).containsExactly("tooluse_01", "tooluse_02");
        assertThat(uses.get(0).get("input")).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));
        List<JsonNode> results = blocks(messages.get(2), "toolResult");
        assertThat(results).extracting(b -> b.get("toolUseId").asText()).containsExactly("tooluse_01", "tooluse_02");
        assertThat(results.get(0).get("content").toString()).contains("18C");
        assertThat(results.get(1).get("content").toString()).contains("21C");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 3105), "bedrock", MODEL, 3105, 6, "aws");
    }

    @Test
    void jsonSchemaOutputComesBackAsTheJsonAnswer() {
        answer(body -> {
            JsonNode forced = body.path("toolConfig").path("toolChoice").path("tool").path("name");
            if (!forced.isTextual()) return BedrockApi.validation("test: expected a forced answer tool in " + body);
            Map<String, Object> toolUse = Map.of("toolUseId", "tooluse_j", "name", forced.asText(), "input", Map.of("name", "John Smith", "age", 42));
            Map<String, Object> message = Map.of("role", "assistant", "content", List.of(Map.of("toolUse", toolUse)));
            return Reply.json(200, Json.write(Map.of("output", Map.of("message", message), "stopReason", "tool_use",
                    "usage", Map.of("inputTokens", 3106, "outputTokens", 12, "totalTokens", 3118))));
        });
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("John Smith is 42.")
                .responseFormat(Sdk.personFormat()).build());
        JsonNode person = Golden.parse(c.choices().get(0).message().content().orElseThrow());
        assertThat(person.get("name").asText()).isEqualTo("John Smith");
        assertThat(person.get("age").asInt()).isEqualTo(42);
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.choices().get(0).message().toolCalls().orElse(List.of())).as("the answer tool is not shown as a tool call").isEmpty();
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 3106), "bedrock", MODEL, 3106, 12, "aws");
    }

    @Test
    void anImageDataUrlBecomesAnImageBlockWithBytes() {
        answer(body -> Reply.json(200, BedrockApi.textAnswer("A single pixel.", 3107, 5)));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED)
                .addUserMessageOfArrayOfContentParts(Sdk.textAndImage("What is in this image?")).build());
        assertThat(c.choices().get(0).message().content()).hasValue("A single pixel.");
        JsonNode image = blocks(lastBody().get("messages").get(0), "image").get(0);
        assertThat(image.get("format").asText()).isEqualTo("png");
        assertThat(image.get("source").get("bytes").asText()).isEqualTo(Sdk.PNG_BASE64);
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 3107), "bedrock", MODEL, 3107, 5, "aws");
    }

    @Test
    void titanEmbeddingsAreASignedInvokeModelCall() {
        upstream.on("POST", BedrockApi.invoke(TITAN), BedrockApi.titanEmbeddings(AWS,
                body -> Reply.json(200, "{\"embedding\":[0.5,-0.25,1.0,0.125],\"inputTextTokenCount\":3108}")));
        CreateEmbeddingResponse e = sdk.embeddings().create(EmbeddingCreateParams.builder().model("bedrock/" + TITAN).input("Hello world").build());

        assertThat(e.data()).hasSize(1);
        assertThat(e.data().get(0).embedding()).containsExactly(0.5f, -0.25f, 1.0f, 0.125f);
        assertThat(e.usage().promptTokens()).isEqualTo(3108);
        assertThat(upstream.last().path()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
        assertThat(lastBody().get("inputText").asText()).isEqualTo("Hello world");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 3108), "bedrock", TITAN, 3108, 0, "aws");
    }

    @Test
    void cacheTokensAreReportedAndPricedAtAwsCachePrices() {
        answer(body -> Reply.json(200, Json.write(Map.of("output", Map.of("message", Map.of("role", "assistant", "content", List.of(Map.of("text", "cached")))),
                "stopReason", "end_turn", "usage", Map.of("inputTokens", 3110, "outputTokens", 13, "totalTokens", 4423,
                        "cacheReadInputTokens", 1000, "cacheWriteInputTokens", 300)))));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("hi").build());
        var usage = c.usage().orElseThrow();
        assertThat(usage.promptTokens()).as("OpenAI's prompt_tokens include cached input").isEqualTo(3110 + 1000 + 300);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).hasValue(1000L);
        // AWS's claude-3-5-sonnet-20241022: input $3, cache read $0.30, cache write $3.75, output $15 per million
        double expected = (3110 * 3.0 + 1000 * 0.3 + 300 * 3.75 + 13 * 15.0) / 1_000_000;
        JsonNode e = Metering.events(gw.admin, keyId, ev -> ev.get("completion_token_count").asLong() == 13, 1).get(0);
        assertThat(e.get("cost_in_usd").asDouble()).as(e.toString()).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(e.get("prompt_token_count").asLong()).as("cache tokens are parts of the prompt count").isEqualTo(4410);
        assertThat(e.get("cache_read_token_count").asLong()).isEqualTo(1000);
        assertThat(e.get("cache_write_token_count").asLong()).isEqualTo(300);
    }

    @Test
    void aBedrockThrottlingIsA429InOpenAiErrorShape() {
        answer(body -> BedrockApi.withErrorType(429, "ThrottlingException", "Too many requests, please wait before trying again."));
        io.bricksllm.testing.ProxyClient.Reply r = new io.bricksllm.testing.ProxyClient(gw.proxyUrl()).postJson("/v1/chat/completions", GATEWAY_KEY,
                "{\"model\":\"" + UNIFIED + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.status()).isEqualTo(429);
        JsonNode error = Golden.parse(r.body()).get("error");
        assertThat(error.get("message").asText()).contains("Too many requests");
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void audioInputIsRefusedNamingTheFieldAndBedrockAndNothingIsSent() {
        answer(body -> Reply.json(200, BedrockApi.textAnswer("must not be reached", 1, 1)));
        io.bricksllm.testing.ProxyClient.Reply r = new io.bricksllm.testing.ProxyClient(gw.proxyUrl()).postJson("/v1/chat/completions", GATEWAY_KEY,
                "{\"model\":\"" + UNIFIED + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"transcribe\"},"
                + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}]}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        String message = Golden.parse(r.body()).get("error").get("message").asText();
        assertThat(message).containsIgnoringCase("audio").containsIgnoringCase("bedrock");
        assertThat(upstream.calls()).isZero();
    }

    static List<JsonNode> blocks(JsonNode message, String field) {
        java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
        message.get("content").forEach(b -> {
            if (b.has(field)) out.add(b.get(field));
        });
        return out;
    }
}
