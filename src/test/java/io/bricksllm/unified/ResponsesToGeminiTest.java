package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.WebSearchTool;
import io.bricksllm.store.Json;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/responses} for {@code gemini/<model>}: the official openai-java SDK's Responses calls translated to
 * generateContent / streamGenerateContent (strict mock), answers and streams translated back, a streamed function-tool
 * round trip through functionCall/functionResponse, thoughts as a reasoning summary, built-in tools refused, each
 * metered at Google's prices.
 */
class ResponsesToGeminiTest {
    static final String MODEL = "gemini-2.5-flash";
    static final String UNIFIED = "gemini/" + MODEL;
    static final String PROVIDER_KEY = "AIza-responses-e2e";
    static final String GATEWAY_KEY = "gw-responses-gemini";
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("gemini", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("")));
        keyId = gw.admin.createKey("{\"name\":\"g\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
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
    void aJsonSchemaRequestBecomesGenerateContentAndItsAnswerAResponse() {
        answer(body -> body.path("generationConfig").has("responseJsonSchema")
                ? Reply.json(200, GeminiApi.textAnswer(MODEL, "{\"name\":\"John Smith\",\"age\":42}", 7101, 12))
                : GeminiApi.error(400, "INVALID_ARGUMENT", "test: no JSON schema in " + body));

        Response r = sdk.responses().create(ResponsesSdk.create(UNIFIED).instructions("Extract the person.")
                .input("John Smith is 42.").text(ResponsesSdk.personFormat()).maxOutputTokens(300L).build());

        assertThat(r.status()).hasValue(ResponseStatus.COMPLETED);
        JsonNode person = Golden.parse(ResponsesSdk.outputText(r));
        assertThat(person.get("name").asText()).isEqualTo("John Smith");
        assertThat(person.get("age").asInt()).isEqualTo(42);
        assertThat(r.usage().orElseThrow().inputTokens()).isEqualTo(7101);
        assertThat(r.usage().orElseThrow().outputTokens()).isEqualTo(12);

        MockUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo(GeminiApi.generatePath(MODEL));
        assertThat(sent.header("Authorization")).as("the gateway key never reaches Google").isNull();
        JsonNode body = lastBody();
        assertThat(body.get("systemInstruction").toString()).as("instructions").contains("Extract the person.");
        assertThat(body.get("contents")).hasSize(1);
        assertThat(body.get("contents").get(0).toString()).contains("John Smith is 42.");
        JsonNode config = body.get("generationConfig");
        assertThat(config.get("maxOutputTokens").asInt()).as("max_output_tokens").isEqualTo(300);
        assertThat(config.get("responseMimeType").asText()).isEqualTo("application/json");
        assertThat(config.get("responseJsonSchema").get("properties").get("age").get("type").asText()).isEqualTo("integer");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 7101), "gemini", MODEL, 7101, 12, "google");
    }

    @Test
    void aStreamIsReadByTheSdkAsResponsesEvents() {
        answerStream(body -> Reply.sse(GeminiApi.textStream(MODEL, List.of("Hel", "lo", " world"), 7201, 9)));

        List<ResponseStreamEvent> events = ResponsesSdk.stream(sdk, ResponsesSdk.create(UNIFIED).input("Say hello").build());

        Response done = ResponsesSdk.assertWellFormed(events);
        assertThat(ResponsesSdk.deltas(events)).isEqualTo("Hello world");
        assertThat(done.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(ResponsesSdk.outputText(done)).isEqualTo("Hello world");
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(7201);
        assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(9);
        assertThat(ResponsesSdk.outputText(ResponsesSdk.accumulate(events))).isEqualTo("Hello world");
        assertThat(upstream.last().path()).isEqualTo(GeminiApi.streamPath(MODEL));

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 7201), "gemini", MODEL, 7201, 9, "google");
    }

    @Test
    void aStreamedFunctionToolRoundTripSendsFunctionCallThenFunctionResponse() {
        answerStream(body -> Reply.sse(Golden.sseEvents("/dialect/gemini/streams/tool-calls.gemini.sse")));
        answer(body -> {
            JsonNode contents = body.get("contents");
            boolean answersTools = contents.get(contents.size() - 1).get("parts").get(0).has("functionResponse");
            return answersTools ? Reply.json(200, GeminiApi.textAnswer(MODEL, "Rome is warmer.", 7302, 6))
                    : GeminiApi.error(400, "INVALID_ARGUMENT", "test expected the function responses: " + body);
        });
        String question = "Weather in Paris and Rome?";
        ResponseCreateParams first = ResponsesSdk.create(UNIFIED).input(question).addTool(ResponsesSdk.weatherTool()).build();

        List<ResponseStreamEvent> events = ResponsesSdk.stream(sdk, first);

        Response streamed = ResponsesSdk.assertWellFormed(events);
        JsonNode declaration = lastBody().get("tools").get(0).get("functionDeclarations").get(0);
        assertThat(declaration.get("name").asText()).isEqualTo("get_weather");
        List<ResponseFunctionToolCall> calls = ResponsesSdk.functionCalls(streamed);
        assertThat(calls).hasSize(2);
        assertThat(calls).extracting(ResponseFunctionToolCall::name).containsOnly("get_weather");
        assertThat(calls.get(0).callId()).as("Gemini gives no call ids: the gateway makes distinct ones").isNotBlank()
                .isNotEqualTo(calls.get(1).callId());
        assertThat(Golden.parse(calls.get(0).arguments())).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));
        assertThat(Golden.parse(calls.get(1).arguments())).isEqualTo(Golden.parse("{\"city\":\"Rome\"}"));
        assertThat(ResponsesSdk.argumentDeltas(events, calls.get(0).id().orElseThrow()))
                .as("the arguments arrive as response.function_call_arguments.delta").isEqualTo(calls.get(0).arguments());
        assertThat(ResponsesSdk.outputText(streamed)).isEqualTo("Let me check.");
        assertThat(ResponsesSdk.functionCalls(ResponsesSdk.accumulate(events))).hasSize(2);
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 50), "gemini", MODEL, 50, 20, "google");

        Response second = sdk.responses().create(ResponsesSdk.create(UNIFIED).addTool(ResponsesSdk.weatherTool())
                .inputOfResponse(ResponsesSdk.toolTurn(question, calls, List.of("18C", "21C"))).build());

        assertThat(ResponsesSdk.outputText(second)).isEqualTo("Rome is warmer.");
        JsonNode contents = lastBody().get("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(1).get("role").asText()).isEqualTo("model");
        List<JsonNode> callParts = parts(contents.get(1), "functionCall");
        assertThat(callParts).extracting(p -> p.get("functionCall").get("name").asText()).containsExactly("get_weather", "get_weather");
        assertThat(callParts.get(1).get("functionCall").get("args")).isEqualTo(Golden.parse("{\"city\":\"Rome\"}"));
        assertThat(callParts.get(0).path("thoughtSignature").asText())
                .as("Gemini 3 refuses a replayed call without a thought signature; the first call carries one").isNotBlank();
        assertThat(contents.get(2).get("role").asText()).isEqualTo("user");
        List<JsonNode> responses = parts(contents.get(2), "functionResponse");
        assertThat(responses).extracting(p -> p.get("functionResponse").get("name").asText())
                .as("the name comes from the matching function_call item").containsExactly("get_weather", "get_weather");
        assertThat(responses.get(0).get("functionResponse").get("response").toString()).contains("18C");
        assertThat(responses.get(1).get("functionResponse").get("response").toString()).contains("21C");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 7302), "gemini", MODEL, 7302, 6, "google");
    }

    @Test
    void thoughtsComeBackAsAReasoningItemWithItsSummaryText() {
        answer(body -> body.path("generationConfig").path("thinkingConfig").path("includeThoughts").asBoolean()
                ? Reply.json(200, Json.write(Map.of(
                        "candidates", List.of(Map.of("content", Map.of("role", "model", "parts", List.of(
                                        Map.of("text", "2 + 2 is 4.", "thought", true), Map.of("text", "4"))),
                                "finishReason", "STOP", "index", 0)),
                        "usageMetadata", Map.of("promptTokenCount", 7401, "candidatesTokenCount", 2, "thoughtsTokenCount", 90,
                                "totalTokenCount", 7493),
                        "modelVersion", MODEL, "responseId", "resp-think")))
                : GeminiApi.error(400, "INVALID_ARGUMENT", "test: reasoning did not ask for thoughts: " + body));

        Response r = sdk.responses().create(ResponsesSdk.create(UNIFIED).input("What is 2 + 2?")
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).summary(Reasoning.Summary.AUTO).build()).build());

        List<ResponseReasoningItem> reasoning = r.output().stream().filter(ResponseOutputItem::isReasoning).map(ResponseOutputItem::asReasoning).toList();
        assertThat(reasoning).hasSize(1);
        assertThat(reasoning.get(0).summary()).extracting(ResponseReasoningItem.Summary::text).containsExactly("2 + 2 is 4.");
        assertThat(ResponsesSdk.outputText(r)).isEqualTo("4");
        assertThat(r.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(90);
        JsonNode e = Metering.eventWithPrompt(gw.admin, keyId, 7401);
        Metering.assertMetered(e, "gemini", MODEL, 7401, 92, "google");
    }

    @Test
    void aStreamTheUpstreamCutsEndsTheCallersStreamWithAnError() {
        answerStream(body -> Reply.sse(GeminiApi.textStream(MODEL, List.of("Partial", " and", " more"), 7501, 30)).dyingAfter(1));

        List<ResponseStreamEvent> seen = new ArrayList<>();
        Throwable failure = null;
        try (var s = sdk.responses().createStreaming(ResponsesSdk.create(UNIFIED).input("tell me").build())) {
            s.stream().forEach(seen::add);
        } catch (RuntimeException e) {
            failure = e;
        }

        assertThat(ResponsesSdk.deltas(seen)).isEqualTo("Partial");
        assertThat(seen).noneMatch(ResponseStreamEvent::isCompleted);
        boolean endedInError = failure != null || seen.get(seen.size() - 1).isFailed() || seen.get(seen.size() - 1).isError();
        assertThat(endedInError).as("the SDK raises or the stream ends with response.failed/error; events %s", seen).isTrue();
        JsonNode e = Metering.eventWithPrompt(gw.admin, keyId, 7501);
        assertThat(e.get("status").asInt()).as("%s", e).isEqualTo(200);
        assertThat(e.get("provider").asText()).isEqualTo("gemini");
    }

    @Test
    void geminiRateLimitReachesTheSdkAsRateLimitException() {
        answer(body -> GeminiApi.error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."));
        assertThatThrownBy(() -> sdk.responses().create(ResponsesSdk.create(UNIFIED).input("hi").build()))
                .isInstanceOf(com.openai.errors.RateLimitException.class).hasMessageContaining("exhausted");
    }

    @Test
    void anInputImageBecomesInlineData() {
        answer(body -> Reply.json(200, GeminiApi.textAnswer(MODEL, "A pixel.", 7601, 3)));
        sdk.responses().create(ResponsesSdk.create(UNIFIED).inputOfResponse(List.of(com.openai.models.responses.ResponseInputItem.ofMessage(
                com.openai.models.responses.ResponseInputItem.Message.builder().role(com.openai.models.responses.ResponseInputItem.Message.Role.USER)
                        .addInputTextContent("What is this?")
                        .addContent(com.openai.models.responses.ResponseInputImage.builder().imageUrl(Sdk.PNG_DATA_URL)
                                .detail(com.openai.models.responses.ResponseInputImage.Detail.AUTO).build())
                        .build()))).build());
        JsonNode parts = lastBody().get("contents").get(0).get("parts");
        JsonNode image = parts(lastBody().get("contents").get(0), "inlineData").get(0).get("inlineData");
        assertThat(image.get("mimeType").asText()).isEqualTo("image/png");
        assertThat(image.get("data").asText()).isEqualTo(Sdk.PNG_BASE64);
        assertThat(parts.toString()).contains("What is this?");
    }

    @Test
    void aBuiltInToolIsRefusedNamingItAndNothingIsSent() {
        assertThatThrownBy(() -> sdk.responses().create(ResponsesSdk.create(UNIFIED).input("news today?")
                .addTool(WebSearchTool.builder().type(WebSearchTool.Type.WEB_SEARCH).build()).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("tools[0].type");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void previousResponseIdIsRefusedForGeminiToo() {
        assertThatThrownBy(() -> ResponsesSdk.stream(sdk, ResponsesSdk.create(UNIFIED).input("and then?").previousResponseId("resp_1").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("previous_response_id").hasMessageContaining("stateless");
        assertThat(upstream.calls()).isZero();
    }

    static List<JsonNode> parts(JsonNode content, String kind) {
        List<JsonNode> out = new ArrayList<>();
        content.get("parts").forEach(p -> {
            if (p.has(kind)) out.add(p);
        });
        return out;
    }
}
