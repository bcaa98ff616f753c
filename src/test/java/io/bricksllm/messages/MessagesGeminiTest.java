package io.bricksllm.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.PlainTextSource;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Received;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.unified.GeminiApi;
import io.bricksllm.unified.Golden;
import io.bricksllm.unified.Metering;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's Messages API answered by Gemini: the anthropic-java SDK's requests are translated to generateContent
 * (checked by a strict Gemini mock) and Gemini's answers, streams and errors come back as Anthropic's, which the SDK
 * parses; count_tokens is the gateway's own estimate.
 */
class MessagesGeminiTest {
    static final String MODEL = "gemini-2.5-flash";
    static final String UNIFIED = "gemini/" + MODEL;
    static final String PROVIDER_KEY = "AIza-messages-provider";
    static final String GATEWAY_KEY = "gw-messages-gemini";
    static MockUpstream upstream;
    static TestGateway gw;
    static AnthropicClient sdk;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("gemini", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("")));
        keyId = gw.admin.createKey("{\"name\":\"g\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
        sdk = MessagesSdk.client(gw, GATEWAY_KEY);
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
    void aMessageIsTranslatedToGenerateContentAndAnsweredAsAnAnthropicMessage() {
        answer(body -> Reply.json(200, GeminiApi.textAnswer(MODEL, "Hi there!", 2201, 17)));
        Message m = sdk.messages().create(MessagesSdk.create(UNIFIED).maxTokens(300).system("Be brief.").addUserMessage("Hello")
                .putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(0.2)).metadata(Metadata.builder().userId("gem-user").build()).build());

        assertThat(MessagesSdk.blockTypes(m)).containsExactly("text");
        assertThat(MessagesSdk.text(m)).isEqualTo("Hi there!");
        assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(2201);
        assertThat(m.usage().outputTokens()).isEqualTo(17);
        assertThat(m.model().asString()).isNotBlank();

        Received r = upstream.last();
        assertThat(r.path()).isEqualTo(GeminiApi.generatePath(MODEL));
        assertThat(r.header("Authorization")).as("the gateway key never reaches Google").isNull();
        r.headers().forEach(h -> assertThat(h.getValue()).as("header " + h.getKey()).doesNotContain(GATEWAY_KEY));
        JsonNode body = lastBody();
        assertThat(body.get("systemInstruction").toString()).contains("Be brief.");
        assertThat(body.get("contents")).hasSize(1);
        assertThat(body.get("contents").get(0).get("parts").get(0).get("text").asText()).isEqualTo("Hello");
        assertThat(body.get("generationConfig").get("maxOutputTokens").asLong()).isEqualTo(300);
        assertThat(body.get("generationConfig").get("temperature").asDouble()).isEqualTo(0.2);

        JsonNode e = Metering.eventWithPrompt(gw.admin, keyId, 2201);
        Metering.assertMetered(e, "gemini", MODEL, 2201, 17, "google");
        assertThat(e.get("userId").asText()).as("metadata.user_id is the end user").isEqualTo("gem-user");
    }

    @Test
    void aStreamIsAnthropicsEventSequenceWhichTheAccumulatorTurnsIntoTheMessage() {
        answerStream(body -> Reply.sse(GeminiApi.textStream(MODEL, List.of("Hel", "lo", " world"), 2202, 9)));
        MessagesSdk.Streamed s = MessagesSdk.stream(sdk, MessagesSdk.create(UNIFIED).addUserMessage("Say hello").build());

        Message m = s.message();
        assertThat(MessagesSdk.blockTypes(m)).containsExactly("text");
        assertThat(MessagesSdk.text(m)).isEqualTo("Hello world");
        assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(2202);
        assertThat(m.usage().outputTokens()).isEqualTo(9);
        assertThat(s.events().get(0).isMessageStart()).isTrue();
        assertThat(s.events().get(0).asMessageStart().message().usage().inputTokens())
                .as("message_start carries the prompt's tokens, as Anthropic's does").isEqualTo(2202);
        assertThat(s.events().get(s.events().size() - 1).isMessageStop()).isTrue();
        assertThat(s.events()).filteredOn(RawMessageStreamEvent::isContentBlockDelta).hasSizeGreaterThanOrEqualTo(1);
        assertThat(upstream.last().query()).contains("alt=sse");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 2202), "gemini", MODEL, 2202, 9, "google");
    }

    @Test
    void streamedFunctionCallsBecomeToolUseBlocksWithInputJsonDeltas() {
        answerStream(body -> Reply.sse(Golden.sseEvents("/dialect/gemini/streams/tool-calls.gemini.sse")));
        MessagesSdk.Streamed s = MessagesSdk.stream(sdk, MessagesSdk.create(UNIFIED).addTool(MessagesSdk.weatherTool())
                .addUserMessage("Weather in Paris and Rome?").build());

        Message m = s.message();
        assertThat(MessagesSdk.blockTypes(m)).containsExactly("text", "tool_use", "tool_use");
        assertThat(MessagesSdk.text(m)).isEqualTo("Let me check.");
        ContentBlock paris = m.content().get(1);
        ContentBlock rome = m.content().get(2);
        assertThat(paris.toolUse().orElseThrow().name()).isEqualTo("get_weather");
        assertThat(MessagesSdk.input(paris)).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));
        assertThat(MessagesSdk.input(rome)).isEqualTo(Golden.parse("{\"city\":\"Rome\"}"));
        assertThat(paris.toolUse().orElseThrow().id()).isNotBlank().isNotEqualTo(rome.toolUse().orElseThrow().id());
        assertThat(m.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(m.usage().outputTokens()).isEqualTo(20);
        assertThat(lastBody().get("tools").get(0).get("functionDeclarations").get(0).get("name").asText()).isEqualTo("get_weather");
    }

    @Test
    void aToolsRoundTripSendsFunctionCallsThenTheirFunctionResponses() {
        answer(body -> {
            JsonNode contents = body.get("contents");
            return contents.get(contents.size() - 1).get("parts").get(0).has("functionResponse")
                    ? Reply.json(200, GeminiApi.textAnswer(MODEL, "Rome is warmer.", 2204, 6))
                    : Reply.json(200, Golden.text("/dialect/gemini/responses/tool-calls.gemini.json"));
        });
        MessageCreateParams.Builder ask = MessagesSdk.create(UNIFIED).addTool(MessagesSdk.weatherTool()).addUserMessage("Weather in Paris and Rome?");
        Message first = sdk.messages().create(ask.build());
        assertThat(first.stopReason()).hasValue(StopReason.TOOL_USE);
        List<ContentBlock> uses = first.content().stream().filter(ContentBlock::isToolUse).toList();
        assertThat(uses).hasSize(2);

        List<ContentBlockParam> results = new ArrayList<>();
        results.add(MessagesSdk.toolResult(uses.get(0).toolUse().orElseThrow().id(), "18C"));
        results.add(MessagesSdk.toolResult(uses.get(1).toolUse().orElseThrow().id(), "21C"));
        ask.addMessage(first).addUserMessageOfContentBlockParams(results);
        Message second = sdk.messages().create(ask.build());
        assertThat(MessagesSdk.text(second)).isEqualTo("Rome is warmer.");
        assertThat(second.stopReason()).hasValue(StopReason.END_TURN);

        JsonNode contents = lastBody().get("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(1).get("role").asText()).isEqualTo("model");
        List<JsonNode> calls = parts(contents.get(1), "functionCall");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).get("args")).isEqualTo(MessagesSdk.input(uses.get(0)));
        List<JsonNode> responses = parts(contents.get(2), "functionResponse");
        assertThat(responses).hasSize(2).allSatisfy(p -> assertThat(p.get("name").asText()).isEqualTo("get_weather"));
        assertThat(responses.get(0).get("response").toString()).contains("18C");
        assertThat(responses.get(1).get("response").toString()).contains("21C");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 2204), "gemini", MODEL, 2204, 6, "google");
    }

    @Test
    void countTokensForGeminiIsTheGatewaysEstimateAndGrowsWithThePrompt() {
        long small = sdk.messages().countTokens(MessageCountTokensParams.builder().model(UNIFIED).addUserMessage("Hello there").build())
                .inputTokens();
        long large = sdk.messages().countTokens(MessageCountTokensParams.builder().model(UNIFIED).system("You are a helpful assistant.")
                .addUserMessage("Hello there. " + "Tell me a long story about a dragon and a knight. ".repeat(20)).build()).inputTokens();
        long withTool = sdk.messages().countTokens(MessageCountTokensParams.builder().model(UNIFIED).addTool(MessagesSdk.weatherTool())
                .addUserMessage("Hello there").build()).inputTokens();

        assertThat(small).isPositive();
        assertThat(large).as("a longer prompt counts more").isGreaterThan(small + 100);
        assertThat(withTool).as("tool schemas count").isGreaterThan(small);
        assertThat(upstream.calls()).as("estimated here, Gemini is not asked").isZero();
    }

    @Test
    void aDocumentBlockGeminiCannotTakeIsA400NamingIt() {
        answer(body -> Reply.json(200, GeminiApi.textAnswer(MODEL, "should not be asked", 1, 1)));
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> sdk.messages().create(MessagesSdk.create(UNIFIED)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofText("Summarise this."),
                        ContentBlockParam.ofDocument(PlainTextSource.builder().data("A long report.").build())))
                .build()));
        assertThat(e).as("the SDK's 400 exception").isNotNull();
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.type()).hasValue(ErrorType.INVALID_REQUEST_ERROR);
        assertThat(e.apiMessage().orElseThrow()).contains("document");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void aGemini500IsAnAnthropicApiError() {
        answer(body -> GeminiApi.error(500, "INTERNAL", "An internal error has occurred."));
        InternalServerException e = catchThrowableOfType(InternalServerException.class,
                () -> sdk.messages().create(MessagesSdk.create(UNIFIED).addUserMessage("hi").build()));
        assertThat(e).as("the SDK's 5xx exception").isNotNull();
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.type()).hasValue(ErrorType.API_ERROR);
        assertThat(e.apiMessage()).isPresent();
    }

    @Test
    void aGemini500BeforeAStreamIsAnAnthropicApiErrorToo() {
        answerStream(body -> GeminiApi.error(500, "INTERNAL", "An internal error has occurred."));
        InternalServerException e = catchThrowableOfType(InternalServerException.class,
                () -> MessagesSdk.stream(sdk, MessagesSdk.create(UNIFIED).addUserMessage("hi").build()));
        assertThat(e).as("the SDK's 5xx exception").isNotNull();
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.type()).hasValue(ErrorType.API_ERROR);
    }

    @Test
    void geminisThoughtsComeBackAsAThinkingBlockTheSdkReadsAndCanSendBack() {
        answer(body -> body.get("contents").size() == 1
                ? Reply.json(200, Golden.text("/dialect/gemini/responses/thinking.gemini.json"))
                : Reply.json(200, GeminiApi.textAnswer(MODEL, "36", 2206, 1)));
        MessageCreateParams.Builder ask = MessagesSdk.create(UNIFIED).enabledThinking(1024).maxTokens(2048)
                .stopSequences(List.of("END")).putAdditionalBodyProperty("top_k", com.anthropic.core.JsonValue.from(40)).addUserMessage("(2 + 2) * 3?");
        Message first = sdk.messages().create(ask.build());

        assertThat(MessagesSdk.blockTypes(first)).containsExactly("thinking", "text");
        assertThat(first.content().get(0).thinking().orElseThrow().thinking()).isEqualTo("2 + 2 is 4; times 3 is 12.");
        assertThat(first.content().get(0).thinking().orElseThrow().signature()).as("signature is a required field of the block").isNotNull();
        assertThat(MessagesSdk.text(first)).isEqualTo("12");
        assertThat(first.stopReason()).hasValue(StopReason.MAX_TOKENS);
        JsonNode config = lastBody().get("generationConfig");
        assertThat(config.get("thinkingConfig").get("thinkingBudget").asLong()).isEqualTo(1024);
        assertThat(config.get("stopSequences").toString()).isEqualTo("[\"END\"]");
        // top_k is dropped by design on translated targets (AnthropicRequestDecoder: no canonical meaning); it must not break the call

        ask.addMessage(first).addUserMessage("Times 3 again?");
        Message second = sdk.messages().create(ask.build());
        assertThat(MessagesSdk.text(second)).isEqualTo("36");
        JsonNode contents = lastBody().get("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(1).get("role").asText()).isEqualTo("model");
        assertThat(contents.get(1).toString()).contains("12");
    }

    @Test
    void streamedThoughtsBecomeAThinkingBlock() {
        answerStream(body -> Reply.sse(Golden.sseEvents("/dialect/gemini/streams/thinking.gemini.sse")));
        MessagesSdk.Streamed s = MessagesSdk.stream(sdk, MessagesSdk.create(UNIFIED).enabledThinking(1024).maxTokens(2048)
                .addUserMessage("(2 + 2) * 3?").build());

        Message m = s.message();
        assertThat(MessagesSdk.blockTypes(m)).containsExactly("thinking", "text");
        assertThat(m.content().get(0).thinking().orElseThrow().thinking()).isEqualTo("Sum first: 4. Then 12.");
        assertThat(MessagesSdk.text(m)).isEqualTo("12");
        assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(30);
    }

    @Test
    void aBase64ImageBecomesInlineData() {
        answer(body -> Reply.json(200, GeminiApi.textAnswer(MODEL, "A pixel.", 2207, 3)));
        Message m = sdk.messages().create(MessagesSdk.create(UNIFIED).addUserMessageOfContentBlockParams(List.of(
                ContentBlockParam.ofText("What is this?"),
                ContentBlockParam.ofImage(com.anthropic.models.messages.Base64ImageSource.builder()
                        .mediaType(com.anthropic.models.messages.Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build()))).build());
        assertThat(MessagesSdk.text(m)).isEqualTo("A pixel.");
        List<JsonNode> images = parts(lastBody().get("contents").get(0), "inlineData");
        assertThat(images).hasSize(1);
        assertThat(images.get(0).get("mimeType").asText()).isEqualTo("image/png");
        assertThat(images.get(0).get("data").asText()).isEqualTo(PNG);
    }

    @Test
    void aStreamGeminiBreaksOffEndsWithAnAnthropicErrorEventTheSdkRaises() {
        answerStream(body -> Reply.sse(Golden.sseEvents("/dialect/gemini/streams/overloaded.gemini.sse")));
        List<RawMessageStreamEvent> seen = new ArrayList<>();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (var s = sdk.messages().createStreaming(MessagesSdk.create(UNIFIED).addUserMessage("Tell a story").build())) {
                s.stream().forEach(seen::add);
            }
        });
        assertThat(t).as("the SDK raises the stream's error event").isInstanceOf(com.anthropic.errors.AnthropicServiceException.class);
        assertThat(t.getMessage()).containsIgnoringCase("overloaded");
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(0).isMessageStart()).isTrue();
    }

    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==";

    static List<JsonNode> parts(JsonNode content, String kind) {
        List<JsonNode> out = new ArrayList<>();
        content.get("parts").forEach(p -> {
            if (p.has(kind)) out.add(p.get(kind));
        });
        return out;
    }

    @Test
    void aGemini429IsAnAnthropicRateLimitError() {
        answer(body -> GeminiApi.error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."));
        com.anthropic.errors.RateLimitException e = catchThrowableOfType(com.anthropic.errors.RateLimitException.class,
                () -> sdk.messages().create(MessagesSdk.create(UNIFIED).addUserMessage("hi").build()));
        assertThat(e).as("the SDK's 429 exception").isNotNull();
        assertThat(e.type()).hasValue(ErrorType.RATE_LIMIT_ERROR);
    }

    @Test
    void aGemini400IsAnAnthropicInvalidRequestError() {
        answer(body -> GeminiApi.error(400, "INVALID_ARGUMENT", "* GenerateContentRequest.generation_config: bad value"));
        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> sdk.messages().create(MessagesSdk.create(UNIFIED).addUserMessage("hi").build()));
        assertThat(e).isNotNull();
        assertThat(e.type()).hasValue(ErrorType.INVALID_REQUEST_ERROR);
        assertThat(e.apiMessage().orElseThrow()).contains("generation_config");
    }

    @Test
    void aBlockedPromptAndASafetyStopAreAnswersTheSdkParses() {
        answer(body -> Reply.json(200, Golden.text("/dialect/gemini/responses/prompt-blocked.gemini.json")));
        Message blocked = sdk.messages().create(MessagesSdk.create(UNIFIED).addUserMessage("something bad").build());
        assertThat(blocked.stopReason()).hasValue(StopReason.REFUSAL);
        assertThat(blocked.usage().inputTokens()).isEqualTo(9);

        answer(body -> Reply.json(200, Golden.text("/dialect/gemini/responses/safety.gemini.json")));
        Message safety = sdk.messages().create(MessagesSdk.create(UNIFIED).addUserMessage("something worse").build());
        assertThat(safety.stopReason()).hasValue(StopReason.REFUSAL);
        assertThat(safety.usage().inputTokens()).isEqualTo(12);
    }

    @Test
    void countTokensRefusesADocumentBlockToo() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> sdk.messages().countTokens(
                MessageCountTokensParams.builder().model(UNIFIED).addUserMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofDocument(PlainTextSource.builder().data("A long report.").build()))).build()));
        assertThat(e).isNotNull();
        assertThat(e.type()).hasValue(ErrorType.INVALID_REQUEST_ERROR);
        assertThat(e.apiMessage().orElseThrow()).contains("document");
    }

    @Test
    void aForcedToolIsGeminisAnyModeLimitedToThatFunction() {
        answer(body -> Reply.json(200, Golden.text("/dialect/gemini/responses/tool-calls.gemini.json")));
        Message m = sdk.messages().create(MessagesSdk.create(UNIFIED).addTool(MessagesSdk.weatherTool())
                .toolChoice(com.anthropic.models.messages.ToolChoiceTool.builder().name("get_weather").build())
                .addUserMessage("Weather in Paris?").build());
        assertThat(m.stopReason()).hasValue(StopReason.TOOL_USE);
        JsonNode config = lastBody().get("toolConfig").get("functionCallingConfig");
        assertThat(config.get("mode").asText()).isEqualTo("ANY");
        assertThat(config.get("allowedFunctionNames").toString()).isEqualTo("[\"get_weather\"]");
    }

    @Test
    void anImageInsideAToolResultIsA400NamingIt() {
        answer(body -> Reply.json(200, GeminiApi.textAnswer(MODEL, "should not be asked", 1, 1)));
        var image = com.anthropic.models.messages.ToolResultBlockParam.Content.Block.ofImage(com.anthropic.models.messages.ImageBlockParam.builder()
                .source(com.anthropic.models.messages.Base64ImageSource.builder()
                        .mediaType(com.anthropic.models.messages.Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build()).build());
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> sdk.messages().create(MessagesSdk.create(UNIFIED)
                .addTool(MessagesSdk.weatherTool()).addUserMessage("Screenshot?")
                .addAssistantMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolUse(com.anthropic.models.messages.ToolUseBlockParam.builder()
                        .id("toolu_img").name("get_weather").input(com.anthropic.models.messages.ToolUseBlockParam.Input.builder()
                                .putAdditionalProperty("city", com.anthropic.core.JsonValue.from("Paris")).build()).build())))
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(com.anthropic.models.messages.ToolResultBlockParam.builder()
                        .toolUseId("toolu_img").contentOfBlocks(List.of(image)).build())))
                .build()));
        assertThat(e).isNotNull();
        assertThat(e.type()).hasValue(ErrorType.INVALID_REQUEST_ERROR);
        assertThat(e.apiMessage().orElseThrow()).contains("content");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void theRawStreamNamesEachEventAsItsDataTypeAsAnthropicsWireFormatDoes() {
        answerStream(body -> Reply.sse(Golden.sseEvents("/dialect/gemini/streams/tool-calls.gemini.sse")));
        io.bricksllm.testing.ProxyClient.Reply r = new io.bricksllm.testing.ProxyClient(gw.proxyUrl()).send("POST", "/v1/messages",
                Map.of("x-api-key", GATEWAY_KEY, "anthropic-version", "2023-06-01", "Content-Type", "application/json"),
                ("{\"model\":\"" + UNIFIED + "\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> events = java.util.Arrays.stream(r.text().replace("\r\n", "\n").split("\n\n")).map(String::strip).filter(e -> !e.isEmpty()).toList();
        assertThat(events).isNotEmpty();
        for (String event : events) {
            List<String> lines = event.lines().toList();
            String name = lines.stream().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).strip()).findFirst().orElse(null);
            String data = lines.stream().filter(l -> l.startsWith("data:")).map(l -> l.substring(5).strip()).findFirst().orElseThrow();
            assertThat(name).as("event name of " + event).isEqualTo(Golden.parse(data).get("type").asText());
        }
        assertThat(events.get(0)).startsWith("event: message_start");
        assertThat(events.get(events.size() - 1)).startsWith("event: message_stop");
        assertThat(r.text()).doesNotContain("[DONE]");
    }

    @Test
    void aBareClaudeIdOnAKeyWithoutAnthropicIsRefusedInAnthropicsShape() {
        com.anthropic.errors.AnthropicServiceException e = catchThrowableOfType(com.anthropic.errors.AnthropicServiceException.class,
                () -> sdk.messages().create(MessagesSdk.create("claude-sonnet-4-5").addUserMessage("hi").build()));
        assertThat(e).as("a typed SDK exception, not a parse failure").isNotNull();
        assertThat(e.statusCode()).isBetween(400, 499);
        assertThat(e.type()).isPresent();
        assertThat(e.apiMessage().orElseThrow()).isNotBlank();
        assertThat(upstream.calls()).isZero();
    }
}
