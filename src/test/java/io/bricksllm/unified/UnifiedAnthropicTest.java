package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code anthropic/<model>} through the unified endpoint with the official openai-java SDK, against a strict Messages API mock. */
class UnifiedAnthropicTest {
    static final String MODEL = "claude-sonnet-4-5";
    static final String UNIFIED = "anthropic/" + MODEL;
    static final String PROVIDER_KEY = "sk-ant-e2e-provider";
    static final String GATEWAY_KEY = "gw-unified-anthropic";
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("anthropic", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("/v1")));
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

    static void answer(java.util.function.Function<JsonNode, Reply> answer) {
        upstream.on("POST", "/v1/messages", AnthropicApi.messages(PROVIDER_KEY, answer));
    }

    static JsonNode lastBody() {
        return Golden.parse(upstream.last().body());
    }

    @Test
    void plainChatIsTranslatedToMessagesAndAnsweredAsAChatCompletion() {
        answer(body -> Reply.json(200, AnthropicApi.textMessage(MODEL, "Hi there!", 1101, 17)));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addSystemMessage("Be brief.").addUserMessage("Hello")
                .temperature(0.2).maxCompletionTokens(300).stop("END").user("customer-7").build());

        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().get(0).message().content()).hasValue("Hi there!");
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(1101);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(17);
        assertThat(c.usage().orElseThrow().totalTokens()).isEqualTo(1118);

        MockUpstream.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/v1/messages");
        assertThat(r.header("Authorization")).as("the gateway key never reaches Anthropic").isNull();
        JsonNode body = lastBody();
        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("max_tokens").asLong()).isEqualTo(300);
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.get("system").toString()).contains("Be brief.");
        assertThat(body.get("messages")).hasSize(1);
        assertThat(body.get("stop_sequences").toString()).isEqualTo("[\"END\"]");
        assertThat(body.has("stream") && body.get("stream").asBoolean()).isFalse();

        JsonNode event = Metering.eventWithPrompt(gw.admin, keyId, 1101);
        Metering.assertMetered(event, "anthropic", MODEL, 1101, 17, "anthropic");
        assertThat(event.get("userId").asText()).as("the end user (OpenAI user field) is recorded").isEqualTo("customer-7");
    }

    @Test
    void aRequestWithoutMaxTokensGetsADefaultBecauseAnthropicRequiresOne() {
        answer(body -> Reply.json(200, AnthropicApi.textMessage(MODEL, "ok", 1102, 2)));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("Hello").build());
        assertThat(c.choices().get(0).message().content()).hasValue("ok");
        assertThat(lastBody().get("max_tokens").asLong()).isPositive();
    }

    @Test
    void streamedTextConcatenatesAndIncludeUsagePutsUsageInTheLastChunk() {
        answer(body -> body.path("stream").asBoolean()
                ? Reply.sse(Fixtures.anthropicStream(MODEL, List.of("Hel", "lo", " world"), 1203, 9))
                : AnthropicApi.error(400, "invalid_request_error", "test expected a streaming request"));
        List<ChatCompletionChunk> chunks = Sdk.stream(sdk, Sdk.chat(UNIFIED).addUserMessage("Say hello").streamOptions(Sdk.includeUsage()).build());

        assertThat(Sdk.text(chunks)).isEqualTo("Hello world");
        assertThat(Sdk.finishReasons(chunks)).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.usage()).as("usage in the last chunk").isPresent();
        assertThat(last.usage().get().promptTokens()).isEqualTo(1203);
        assertThat(last.usage().get().completionTokens()).isEqualTo(9);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(ch -> assertThat(ch.usage()).isEmpty());
        assertThat(lastBody().get("stream").asBoolean()).isTrue();

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 1203), "anthropic", MODEL, 1203, 9, "anthropic");
    }

    @Test
    void theRawStreamIsOpenAiSseEndingWithDone() {
        answer(body -> Reply.sse(Fixtures.anthropicStream(MODEL, List.of("a", "b"), 1204, 3)));
        ProxyClient.Reply r = new ProxyClient(gw.proxyUrl()).postJson("/v1/chat/completions", GATEWAY_KEY,
                "{\"model\":\"" + UNIFIED + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> data = r.text().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data).last().isEqualTo("[DONE]");
        assertThat(data.subList(0, data.size() - 1)).isNotEmpty()
                .allSatisfy(d -> assertThat(Golden.parse(d).get("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(r.text()).doesNotContain("content_block_delta").doesNotContain("message_start");
    }

    @Test
    void streamedToolCallsArriveAsOpenAiToolCallDeltas() {
        answer(body -> Reply.sse(Golden.sseEvents("/dialect/anthropic/streams/tool-calls.anthropic.sse")));
        List<ChatCompletionChunk> chunks = Sdk.stream(sdk, Sdk.chat(UNIFIED).addUserMessage("Weather in Paris and Rome?")
                .addTool(Sdk.weatherTool()).build());

        Map<Long, Sdk.StreamedCall> calls = Sdk.toolCalls(chunks);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0L)).isEqualTo(new Sdk.StreamedCall("toolu_01", "get_weather", "{\"city\": \"Paris\"}"));
        assertThat(calls.get(1L)).isEqualTo(new Sdk.StreamedCall("toolu_02", "get_weather", "{\"city\":\"Rome\"}"));
        assertThat(Sdk.text(chunks)).isEqualTo("Let me check.");
        assertThat(Sdk.finishReasons(chunks)).containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
        JsonNode tool = lastBody().get("tools").get(0);
        assertThat(tool.get("name").asText()).isEqualTo("get_weather");
        assertThat(tool.get("input_schema").get("properties").has("city")).isTrue();

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 300), "anthropic", MODEL, 300, 60, "anthropic");
    }

    @Test
    void toolsRoundTripSendsToolUseThenMatchingToolResults() {
        answer(body -> {
            JsonNode last = body.get("messages").get(body.get("messages").size() - 1);
            boolean answersTools = last.get("content").isArray() && last.get("content").get(0).path("type").asText().equals("tool_result");
            return answersTools
                    ? Reply.json(200, AnthropicApi.textMessage(MODEL, "Rome is warmer.", 1206, 6))
                    : Reply.json(200, Golden.text("/dialect/anthropic/responses/tool-use-cached.anthropic.json"));
        });
        ChatCompletionCreateParams.Builder ask = Sdk.chat(UNIFIED).addUserMessage("Weather in Paris and Rome?").addTool(Sdk.weatherTool())
                .toolChoice(com.openai.models.chat.completions.ChatCompletionToolChoiceOption.Auto.REQUIRED);
        ChatCompletion first = sdk.chat().completions().create(ask.build());
        assertThat(lastBody().get("tool_choice").get("type").asText()).as("required is Anthropic's any").isEqualTo("any");
        assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(first.choices().get(0).message().content()).hasValue("Checking.");
        List<ChatCompletionMessageFunctionToolCall> calls = first.choices().get(0).message().toolCalls().orElseThrow().stream()
                .map(t -> t.asFunction()).toList();
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).containsExactly("toolu_01", "toolu_02");
        assertThat(Golden.parse(calls.get(0).function().arguments())).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));

        ask.addMessage(first.choices().get(0).message());
        ask.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(0).id()).content("18C").build());
        ask.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(1).id()).content("21C").build());
        ChatCompletion second = sdk.chat().completions().create(ask.build());
        assertThat(second.choices().get(0).message().content()).hasValue("Rome is warmer.");

        JsonNode messages = lastBody().get("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
        List<JsonNode> uses = blocks(messages.get(1), "tool_use");
        assertThat(uses).extracting(b -> b.get("id").asText()).containsExactly("toolu_01", "toolu_02");
        assertThat(uses.get(1).get("input")).isEqualTo(Golden.parse("{\"city\":\"Rome\"}"));
        assertThat(messages.get(2).get("role").asText()).isEqualTo("user");
        List<JsonNode> results = blocks(messages.get(2), "tool_result");
        assertThat(results).extracting(b -> b.get("tool_use_id").asText()).containsExactly("toolu_01", "toolu_02");
        assertThat(results.get(0).get("content").toString()).contains("18C");
        assertThat(results.get(1).get("content").toString()).contains("21C");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 1206), "anthropic", MODEL, 1206, 6, "anthropic");
    }

    @Test
    void jsonSchemaOutputComesBackAsTheJsonAnswer() {
        answer(body -> {
            JsonNode format = body.path("output_config").path("format");
            String forcedTool = body.path("tool_choice").path("type").asText().equals("tool") ? body.path("tool_choice").path("name").asText() : null;
            if (format.path("type").asText().equals("json_schema")) {
                return Reply.json(200, AnthropicApi.textMessage(MODEL, "{\"name\":\"John Smith\",\"age\":42}", 1207, 12));
            }
            if (forcedTool != null) {
                return Reply.json(200, Json.write(Map.of("id", "msg_j", "type", "message", "role", "assistant", "model", MODEL,
                        "content", List.of(Map.of("type", "tool_use", "id", "toolu_j", "name", forcedTool, "input", Map.of("name", "John Smith", "age", 42))),
                        "stop_reason", "tool_use", "usage", Map.of("input_tokens", 1207, "output_tokens", 12))));
            }
            return AnthropicApi.error(400, "invalid_request_error", "test: the request asks for no JSON schema: " + body);
        });
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("John Smith is 42.")
                .responseFormat(Sdk.personFormat()).build());
        JsonNode person = Golden.parse(c.choices().get(0).message().content().orElseThrow());
        assertThat(person.get("name").asText()).isEqualTo("John Smith");
        assertThat(person.get("age").asInt()).isEqualTo(42);
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(lastBody().toString()).as("the schema reaches Anthropic").contains("\"age\"").contains("\"integer\"");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 1207), "anthropic", MODEL, 1207, 12, "anthropic");
    }

    @Test
    void anImageDataUrlBecomesABase64ImageBlock() {
        answer(body -> Reply.json(200, AnthropicApi.textMessage(MODEL, "A single pixel.", 1208, 5)));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED)
                .addUserMessageOfArrayOfContentParts(Sdk.textAndImage("What is in this image?")).build());
        assertThat(c.choices().get(0).message().content()).hasValue("A single pixel.");
        JsonNode content = lastBody().get("messages").get(0).get("content");
        JsonNode image = blocks(lastBody().get("messages").get(0), "image").get(0);
        assertThat(image.get("source").get("type").asText()).isEqualTo("base64");
        assertThat(image.get("source").get("media_type").asText()).isEqualTo("image/png");
        assertThat(image.get("source").get("data").asText()).isEqualTo(Sdk.PNG_BASE64);
        assertThat(content.toString()).contains("What is in this image?");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 1208), "anthropic", MODEL, 1208, 5, "anthropic");
    }

    @Test
    void aStreamWithoutIncludeUsageHasNoUsageChunk() {
        answer(body -> Reply.sse(Fixtures.anthropicStream(MODEL, List.of("x", "y"), 1209, 4)));
        List<ChatCompletionChunk> chunks = Sdk.stream(sdk, Sdk.chat(UNIFIED).addUserMessage("hi").build());
        assertThat(Sdk.text(chunks)).isEqualTo("xy");
        assertThat(chunks).allSatisfy(ch -> assertThat(ch.usage()).isEmpty());
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 1209), "anthropic", MODEL, 1209, 4, "anthropic");
    }

    @Test
    void cacheTokensAreReportedInUsageDetailsAndPricedAtCachePrices() {
        answer(body -> Reply.json(200, Fixtures.anthropicMessage(MODEL, "cached answer", 1210, 13, 1000, 300)));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("hi").build());
        var usage = c.usage().orElseThrow();
        assertThat(usage.promptTokens()).as("OpenAI's prompt_tokens include cached input").isEqualTo(1210 + 1000 + 300);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).hasValue(1000L);
        assertThat(usage.completionTokens()).isEqualTo(13);
        // input $3, cache read $0.30, cache write $3.75, output $15 per million
        double expected = (1210 * 3.0 + 1000 * 0.3 + 300 * 3.75 + 13 * 15.0) / 1_000_000;
        JsonNode e = Metering.events(gw.admin, keyId, ev -> ev.get("completion_token_count").asLong() == 13, 1).get(0);
        assertThat(e.get("cost_in_usd").asDouble()).as(e.toString()).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(e.get("prompt_token_count").asLong()).as("cache tokens are parts of the prompt count").isEqualTo(2510);
        assertThat(e.get("cache_read_token_count").asLong()).isEqualTo(1000);
        assertThat(e.get("cache_write_token_count").asLong()).isEqualTo(300);
    }

    @Test
    void thinkingComesBackAsReasoningContent() {
        answer(body -> Reply.json(200, Golden.text("/dialect/anthropic/responses/thinking.anthropic.json")));
        ChatCompletion c = sdk.chat().completions().create(Sdk.chat(UNIFIED).addUserMessage("What is 2 + 2?").build());
        assertThat(c.choices().get(0).message().content()).hasValue("4");
        assertThat(c.choices().get(0).message()._additionalProperties().get("reasoning_content"))
                .isEqualTo(com.openai.core.JsonValue.from("2 + 2 = 4."));
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    }

    @Test
    void embeddingsForAnthropicAreRefusedNamingTheProviderAndNothingIsSent() {
        ProxyClient.Reply r = new ProxyClient(gw.proxyUrl()).postJson("/v1/embeddings", GATEWAY_KEY,
                "{\"model\":\"" + UNIFIED + "\",\"input\":\"hello\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(Golden.parse(r.body()).get("error").get("message").asText()).containsIgnoringCase("anthropic");
        assertThat(upstream.calls()).isZero();
    }

    static List<JsonNode> blocks(JsonNode message, String type) {
        java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
        message.get("content").forEach(b -> {
            if (b.path("type").asText().equals(type)) out.add(b);
        });
        return out;
    }
}
