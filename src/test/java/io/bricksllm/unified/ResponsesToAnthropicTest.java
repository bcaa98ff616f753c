package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.ProxyClient;
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
 * {@code POST /v1/responses} for {@code anthropic/<model>}: the official openai-java SDK's Responses calls translated
 * to the Messages API (strict mock), answers and streams translated back into Responses objects and events, a
 * streamed function-tool round trip, thinking as a reasoning summary, the stateless refusals and upstream failures,
 * each metered at Anthropic's prices.
 */
class ResponsesToAnthropicTest {
    static final String MODEL = "claude-sonnet-4-5";
    static final String UNIFIED = "anthropic/" + MODEL;
    static final String PROVIDER_KEY = "sk-ant-responses-e2e";
    static final String GATEWAY_KEY = "gw-responses-anthropic";
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("anthropic", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("/v1")));
        keyId = gw.admin.createKey("{\"name\":\"r\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
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
        upstream.on("POST", "/v1/messages", AnthropicApi.messages(PROVIDER_KEY, answer));
    }

    static JsonNode lastBody() {
        return Golden.parse(upstream.last().body());
    }

    @Test
    void aJsonSchemaRequestBecomesAMessagesCallAndItsAnswerAResponse() {
        answer(body -> body.path("output_config").path("format").path("type").asText().equals("json_schema")
                ? Reply.json(200, AnthropicApi.textMessage(MODEL, "{\"name\":\"John Smith\",\"age\":42}", 6101, 12))
                : AnthropicApi.error(400, "invalid_request_error", "test: no json_schema output format in " + body));

        Response r = sdk.responses().create(ResponsesSdk.create(UNIFIED).instructions("Extract the person.")
                .input("John Smith is 42.").text(ResponsesSdk.personFormat()).maxOutputTokens(300L).build());

        assertThat(r.status()).hasValue(ResponseStatus.COMPLETED);
        JsonNode person = Golden.parse(ResponsesSdk.outputText(r));
        assertThat(person.get("name").asText()).isEqualTo("John Smith");
        assertThat(person.get("age").asInt()).isEqualTo(42);
        assertThat(r.usage().orElseThrow().inputTokens()).isEqualTo(6101);
        assertThat(r.usage().orElseThrow().outputTokens()).isEqualTo(12);
        assertThat(r.usage().orElseThrow().totalTokens()).isEqualTo(6113);

        MockUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("Authorization")).as("the gateway key never reaches Anthropic").isNull();
        JsonNode body = lastBody();
        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("max_tokens").asInt()).as("max_output_tokens").isEqualTo(300);
        assertThat(body.get("system").toString()).as("instructions become the system prompt").contains("Extract the person.");
        assertThat(body.get("messages")).hasSize(1);
        assertThat(body.get("messages").get(0).toString()).contains("John Smith is 42.");
        JsonNode schema = body.get("output_config").get("format").get("schema");
        assertThat(schema.get("properties").get("age").get("type").asText()).isEqualTo("integer");

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 6101), "anthropic", MODEL, 6101, 12, "anthropic");
    }

    @Test
    void aStreamIsReadByTheSdkAsResponsesEvents() {
        answer(body -> body.path("stream").asBoolean()
                ? Reply.sse(Fixtures.anthropicStream(MODEL, List.of("Hel", "lo", " world"), 6201, 9))
                : AnthropicApi.error(400, "invalid_request_error", "test expected a streaming request"));

        List<ResponseStreamEvent> events = ResponsesSdk.stream(sdk, ResponsesSdk.create(UNIFIED).input("Say hello").build());

        Response done = ResponsesSdk.assertWellFormed(events);
        assertThat(ResponsesSdk.deltas(events)).isEqualTo("Hello world");
        assertThat(done.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(ResponsesSdk.outputText(done)).isEqualTo("Hello world");
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(6201);
        assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(9);
        assertThat(ResponsesSdk.outputText(ResponsesSdk.accumulate(events))).isEqualTo("Hello world");
        assertThat(lastBody().get("stream").asBoolean()).isTrue();

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 6201), "anthropic", MODEL, 6201, 9, "anthropic");
    }

    @Test
    void aStreamedFunctionToolRoundTripSendsToolUseThenToolResults() {
        answer(body -> {
            JsonNode messages = body.get("messages");
            JsonNode last = messages.get(messages.size() - 1);
            boolean answersTools = last.get("content").isArray() && last.get("content").get(0).path("type").asText().equals("tool_result");
            if (answersTools) return Reply.json(200, AnthropicApi.textMessage(MODEL, "Rome is warmer.", 6302, 6));
            return body.path("stream").asBoolean() ? Reply.sse(Golden.sseEvents("/dialect/anthropic/streams/tool-calls.anthropic.sse"))
                    : AnthropicApi.error(400, "invalid_request_error", "test expected the first call streamed");
        });
        String question = "Weather in Paris and Rome?";
        ResponseCreateParams first = ResponsesSdk.create(UNIFIED).input(question).addTool(ResponsesSdk.weatherTool()).build();

        List<ResponseStreamEvent> events = ResponsesSdk.stream(sdk, first);

        Response streamed = ResponsesSdk.assertWellFormed(events);
        JsonNode tool = lastBody().get("tools").get(0);
        assertThat(tool.get("name").asText()).isEqualTo("get_weather");
        assertThat(tool.get("input_schema").get("properties").has("city")).isTrue();
        List<ResponseFunctionToolCall> calls = ResponsesSdk.functionCalls(streamed);
        assertThat(calls).extracting(ResponseFunctionToolCall::callId).containsExactly("toolu_01", "toolu_02");
        assertThat(calls).extracting(ResponseFunctionToolCall::name).containsOnly("get_weather");
        assertThat(Golden.parse(calls.get(0).arguments())).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));
        assertThat(ResponsesSdk.argumentDeltas(events, calls.get(0).id().orElseThrow()))
                .as("the arguments arrive as response.function_call_arguments.delta").isEqualTo(calls.get(0).arguments());
        assertThat(ResponsesSdk.argumentDeltas(events, calls.get(1).id().orElseThrow())).isEqualTo("{\"city\":\"Rome\"}");
        assertThat(ResponsesSdk.outputText(streamed)).isEqualTo("Let me check.");
        assertThat(ResponsesSdk.functionCalls(ResponsesSdk.accumulate(events))).extracting(ResponseFunctionToolCall::callId)
                .containsExactly("toolu_01", "toolu_02");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 300), "anthropic", MODEL, 300, 60, "anthropic");

        Response second = sdk.responses().create(ResponsesSdk.create(UNIFIED).addTool(ResponsesSdk.weatherTool())
                .inputOfResponse(ResponsesSdk.toolTurn(question, calls, List.of("18C", "21C"))).build());

        assertThat(ResponsesSdk.outputText(second)).isEqualTo("Rome is warmer.");
        JsonNode messages = lastBody().get("messages");
        assertThat(messages).hasSize(3);
        List<JsonNode> uses = blocks(messages.get(1), "tool_use");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
        assertThat(uses).extracting(b -> b.get("id").asText()).containsExactly("toolu_01", "toolu_02");
        assertThat(uses).extracting(b -> b.get("name").asText()).containsOnly("get_weather");
        assertThat(uses.get(1).get("input")).isEqualTo(Golden.parse("{\"city\":\"Rome\"}"));
        List<JsonNode> results = blocks(messages.get(2), "tool_result");
        assertThat(messages.get(2).get("role").asText()).isEqualTo("user");
        assertThat(results).extracting(b -> b.get("tool_use_id").asText()).containsExactly("toolu_01", "toolu_02");
        assertThat(results.get(0).get("content").toString()).contains("18C");
        assertThat(results.get(1).get("content").toString()).contains("21C");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 6302), "anthropic", MODEL, 6302, 6, "anthropic");
    }

    @Test
    void theRawStreamIsResponsesSseWithNamedEventsInSequenceAndNoDone() {
        answer(body -> Reply.sse(Fixtures.anthropicStream(MODEL, List.of("a", "b"), 6202, 3)));

        ProxyClient.Reply r = new ProxyClient(gw.proxyUrl()).postJson("/v1/responses", GATEWAY_KEY,
                "{\"model\":\"" + UNIFIED + "\",\"input\":\"hi\",\"stream\":true}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        assertThat(r.text()).doesNotContain("[DONE]").doesNotContain("content_block_delta").doesNotContain("chat.completion.chunk");
        List<String> frames = java.util.Arrays.stream(r.text().split("\n\n")).filter(f -> !f.isBlank()).toList();
        long expected = 0;
        for (String frame : frames) {
            String[] lines = frame.split("\n");
            assertThat(lines[0]).as("each frame names its event: %s", frame).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            JsonNode data = Golden.parse(lines[1].substring(6));
            assertThat(data.get("type").asText()).as("event name = data.type").isEqualTo(lines[0].substring(7));
            assertThat(data.get("sequence_number").asLong()).as("sequence numbers count up from 0: %s", frame).isEqualTo(expected++);
        }
        assertThat(frames.get(0)).startsWith("event: response.created");
        assertThat(frames.get(frames.size() - 1)).startsWith("event: response.completed");
    }

    @Test
    void replayingTheWholeOutputKeepsTheAssistantTextBeforeItsToolUses() {
        answer(body -> {
            JsonNode messages = body.get("messages");
            if (messages.size() == 1) return Reply.json(200, Golden.text("/dialect/anthropic/responses/tool-use-cached.anthropic.json"));
            return Reply.json(200, AnthropicApi.textMessage(MODEL, "Both mild.", 6303, 3));
        });
        String question = "Weather in Paris and Rome?";
        Response first = sdk.responses().create(ResponsesSdk.create(UNIFIED).input(question).addTool(ResponsesSdk.weatherTool()).build());
        List<ResponseFunctionToolCall> calls = ResponsesSdk.functionCalls(first);
        assertThat(ResponsesSdk.outputText(first)).isEqualTo("Checking.");
        assertThat(first.output().get(0).isMessage()).as("the text comes before the calls, as Claude wrote it").isTrue();

        // what a stateless agent sends next: the question, every output item as it came, then the results
        List<com.openai.models.responses.ResponseInputItem> input = new ArrayList<>();
        input.add(com.openai.models.responses.ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                .role(com.openai.models.responses.EasyInputMessage.Role.USER).content(question).build()));
        for (ResponseOutputItem item : first.output()) {
            if (item.isMessage()) input.add(com.openai.models.responses.ResponseInputItem.ofResponseOutputMessage(item.asMessage()));
            if (item.isFunctionCall()) input.add(com.openai.models.responses.ResponseInputItem.ofFunctionCall(item.asFunctionCall()));
        }
        for (ResponseFunctionToolCall c : calls) {
            input.add(com.openai.models.responses.ResponseInputItem.ofFunctionCallOutput(
                    com.openai.models.responses.ResponseInputItem.FunctionCallOutput.builder().callId(c.callId()).output("mild").build()));
        }
        Response second = sdk.responses().create(ResponsesSdk.create(UNIFIED).addTool(ResponsesSdk.weatherTool()).inputOfResponse(input).build());

        assertThat(ResponsesSdk.outputText(second)).isEqualTo("Both mild.");
        JsonNode assistant = lastBody().get("messages").get(1);
        assertThat(assistant.get("role").asText()).isEqualTo("assistant");
        assertThat(assistant.get("content")).extracting(b -> b.get("type").asText()).containsExactly("text", "tool_use", "tool_use");
        assertThat(assistant.get("content").get(0).get("text").asText()).isEqualTo("Checking.");
    }

    @Test
    void thinkingComesBackAsAReasoningItemWithItsSummaryText() {
        answer(body -> body.path("thinking").path("type").asText().equals("enabled")
                ? Reply.json(200, Json.write(Map.of("id", "msg_t", "type", "message", "role", "assistant", "model", MODEL,
                        "content", List.of(Map.of("type", "thinking", "thinking", "2 + 2 = 4.", "signature", "EqQBCkYIBxgCKkBh"),
                                Map.of("type", "text", "text", "4")),
                        "stop_reason", "end_turn", "usage", Map.of("input_tokens", 6401, "output_tokens", 30))))
                : AnthropicApi.error(400, "invalid_request_error", "test: reasoning did not become thinking: " + body));

        Response r = sdk.responses().create(ResponsesSdk.create(UNIFIED).input("What is 2 + 2?").maxOutputTokens(8000L)
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).summary(Reasoning.Summary.AUTO).build()).build());

        assertThat(lastBody().get("thinking").get("budget_tokens").asInt()).isPositive().isLessThan(8000);
        List<ResponseReasoningItem> reasoning = r.output().stream().filter(ResponseOutputItem::isReasoning).map(ResponseOutputItem::asReasoning).toList();
        assertThat(reasoning).hasSize(1);
        assertThat(reasoning.get(0).summary()).extracting(ResponseReasoningItem.Summary::text).containsExactly("2 + 2 = 4.");
        assertThat(r.output().get(0).isReasoning()).as("the reasoning comes before the answer").isTrue();
        assertThat(ResponsesSdk.outputText(r)).isEqualTo("4");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 6401), "anthropic", MODEL, 6401, 30, "anthropic");
    }

    @Test
    void streamedThinkingArrivesAsReasoningSummaryTextDeltas() {
        answer(body -> Reply.sse(Golden.sseEvents("/dialect/anthropic/streams/thinking.anthropic.sse")));

        List<ResponseStreamEvent> events = ResponsesSdk.stream(sdk, ResponsesSdk.create(UNIFIED).input("What is 2 + 2?")
                .maxOutputTokens(8000L).reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).summary(Reasoning.Summary.AUTO).build()).build());

        StringBuilder summary = new StringBuilder();
        events.stream().filter(ResponseStreamEvent::isReasoningSummaryTextDelta).forEach(e -> summary.append(e.asReasoningSummaryTextDelta().delta()));
        assertThat(summary.toString()).isEqualTo("Two plus two is four.");
        assertThat(ResponsesSdk.deltas(events)).isEqualTo("4");
        assertThat(events.get(0).isCreated()).isTrue();
        ResponseStreamEvent last = events.get(events.size() - 1);
        assertThat(last.isIncomplete()).as("max_tokens ends the response incomplete: %s", last).isTrue();
        assertThat(last.asIncomplete().response().usage().orElseThrow().outputTokens()).isEqualTo(50);
    }

    @Test
    void previousResponseIdIsRefusedBecauseTranslatedRequestsAreStateless() {
        assertThatThrownBy(() -> sdk.responses().create(ResponsesSdk.create(UNIFIED).input("and then?").previousResponseId("resp_1").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("previous_response_id").hasMessageContaining("stateless");
        assertThat(upstream.calls()).as("nothing is sent upstream").isZero();
    }

    @Test
    void storeTrueIsRefusedBecauseTranslatedRequestsAreStateless() {
        assertThatThrownBy(() -> sdk.responses().create(ResponsesSdk.create(UNIFIED).input("remember this").store(true).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("store").hasMessageContaining("stateless");
        assertThatThrownBy(() -> ResponsesSdk.stream(sdk, ResponsesSdk.create(UNIFIED).input("remember this").store(true).build()))
                .as("a streamed request is refused the same way").isInstanceOf(BadRequestException.class).hasMessageContaining("store");
        assertThat(upstream.calls()).as("nothing is sent upstream").isZero();
    }

    @Test
    void theEndUserFromUserOrSafetyIdentifierReachesAnthropicAndTheEvent() {
        answer(body -> Reply.json(200, AnthropicApi.textMessage(MODEL, "ok", body.path("metadata").path("user_id").asText().equals("dev-42") ? 6701 : 6702, 2)));

        sdk.responses().create(ResponsesSdk.create(UNIFIED).input("hi").safetyIdentifier("dev-42").build());
        assertThat(lastBody().get("metadata").get("user_id").asText()).isEqualTo("dev-42");
        sdk.responses().create(ResponsesSdk.create(UNIFIED).input("hi").user("dev-43").build());
        assertThat(lastBody().get("metadata").get("user_id").asText()).isEqualTo("dev-43");

        assertThat(Metering.eventWithPrompt(gw.admin, keyId, 6701).get("userId").asText())
                .as("safety_identifier, the Responses API's end-user field, names the event's user").isEqualTo("dev-42");
        assertThat(Metering.eventWithPrompt(gw.admin, keyId, 6702).get("userId").asText()).isEqualTo("dev-43");
    }

    @Test
    void storeFalseIsFineAndNotSentToAnthropic() {
        answer(body -> Reply.json(200, AnthropicApi.textMessage(MODEL, "ok", 6501, 2)));
        Response r = sdk.responses().create(ResponsesSdk.create(UNIFIED).input("hi").store(false).build());
        assertThat(ResponsesSdk.outputText(r)).isEqualTo("ok");
        assertThat(lastBody().has("store")).isFalse();
    }

    @Test
    void anthropicRateLimitReachesTheSdkAsRateLimitException() {
        answer(body -> AnthropicApi.error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"));
        assertThatThrownBy(() -> sdk.responses().create(ResponsesSdk.create(UNIFIED).input("hi").build()))
                .isInstanceOf(RateLimitException.class).hasMessageContaining("rate limit");
        assertThatThrownBy(() -> ResponsesSdk.stream(sdk, ResponsesSdk.create(UNIFIED).input("hi").build()))
                .as("a refused stream is an error before any event").isInstanceOf(RateLimitException.class);
    }

    @Test
    void anErrorEventInAnthropicsStreamEndsTheCallersStreamInError() {
        answer(body -> Reply.sse(Golden.sseEvents("/dialect/anthropic/streams/overloaded.anthropic.sse")));

        List<ResponseStreamEvent> seen = new ArrayList<>();
        Throwable failure = null;
        try (var s = sdk.responses().createStreaming(ResponsesSdk.create(UNIFIED).input("hi").build())) {
            s.stream().forEach(seen::add);
        } catch (RuntimeException e) {
            failure = e;
        }

        assertThat(ResponsesSdk.deltas(seen)).isEqualTo("Hi");
        assertThat(seen).noneMatch(ResponseStreamEvent::isCompleted);
        ResponseStreamEvent last = seen.get(seen.size() - 1);
        assertThat(failure != null || last.isFailed() || last.isError()).as("ends in error: %s / %s", failure, seen).isTrue();
        if (failure == null && last.isFailed()) {
            assertThat(last.asFailed().response().error().orElseThrow().message()).contains("Overloaded");
        }
        if (failure != null) assertThat(failure).hasMessageContaining("Overloaded");
    }

    @Test
    void anthropicClosingTheConnectionBeforeAnsweringIsAServerErrorForTheSdk() {
        answer(body -> Reply.closeConnection());
        assertThatThrownBy(() -> sdk.responses().create(ResponsesSdk.create(UNIFIED).input("hi").build()))
                .isInstanceOf(com.openai.errors.OpenAIServiceException.class)
                .satisfies(e -> assertThat(((com.openai.errors.OpenAIServiceException) e).statusCode()).isBetween(500, 599));
    }

    @Test
    void aNamedToolChoiceForcesThatToolAtAnthropic() {
        answer(body -> Reply.json(200, Golden.text("/dialect/anthropic/responses/tool-use-cached.anthropic.json")));
        sdk.responses().create(ResponsesSdk.create(UNIFIED).input("Paris?").addTool(ResponsesSdk.weatherTool())
                .toolChoice(com.openai.models.responses.ToolChoiceFunction.builder().name("get_weather").build()).build());
        JsonNode choice = lastBody().get("tool_choice");
        assertThat(choice.get("type").asText()).isEqualTo("tool");
        assertThat(choice.get("name").asText()).isEqualTo("get_weather");
    }

    @Test
    void aStreamTheUpstreamCutsEndsTheCallersStreamWithAnErrorAndIsRecorded() {
        // message_start (input tokens, output_tokens 1 as a placeholder), content_block_start, ping, two long text deltas,
        // then the connection drops before message_delta could report the output
        String first = "Partial answer that goes on for a while, long enough that counting it matters for the bill";
        String second = ", and then some more words streamed to the caller before the upstream went away";
        answer(body -> Reply.sse(Fixtures.anthropicStream(MODEL, List.of(first, second, " never", " finished"), 6601, 400)).dyingAfter(5));

        List<ResponseStreamEvent> seen = new ArrayList<>();
        Throwable failure = null;
        try (var s = sdk.responses().createStreaming(ResponsesSdk.create(UNIFIED).input("tell me").build())) {
            s.stream().forEach(seen::add);
        } catch (RuntimeException e) {
            failure = e;
        }

        assertThat(seen).isNotEmpty();
        assertThat(seen.get(0).isCreated()).isTrue();
        assertThat(ResponsesSdk.deltas(seen)).as("what arrived before the cut reached the caller").isEqualTo(first + second);
        assertThat(seen).as("a cut stream never claims to be completed").noneMatch(ResponseStreamEvent::isCompleted);
        boolean endedInError = failure != null || seen.get(seen.size() - 1).isFailed() || seen.get(seen.size() - 1).isError();
        assertThat(endedInError).as("the SDK raises or the stream ends with response.failed/error; events %s", seen).isTrue();
        if (failure != null) assertThat(failure).hasMessageContaining("BricksLLM");

        JsonNode e = Metering.eventWithPrompt(gw.admin, keyId, 6601);
        assertThat(e.get("provider").asText()).isEqualTo("anthropic");
        assertThat(e.get("model").asText()).isEqualTo(MODEL);
        assertThat(e.get("status").asInt()).as("the upstream's status, as the relay records a cut stream: %s", e).isEqualTo(200);
        assertThat(e.get("prompt_token_count").asLong()).as("input tokens from message_start").isEqualTo(6601);
        long completion = e.get("completion_token_count").asLong();
        assertThat(completion).as("at least the text streamed before the cut, not message_start's placeholder of 1: %s", e)
                .isBetween(20L, 60L);
        assertThat(e.get("cost_in_usd").asDouble()).as("charged for what was used")
                .isCloseTo(Metering.cost("anthropic", MODEL, 6601, completion), org.assertj.core.api.Assertions.within(1e-12));
    }

    static List<JsonNode> blocks(JsonNode message, String type) {
        List<JsonNode> out = new ArrayList<>();
        message.get("content").forEach(b -> {
            if (b.path("type").asText().equals(type)) out.add(b);
        });
        return out;
    }
}
