package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.bricksllm.testing.Fixtures;
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

/**
 * {@code POST /v1/responses} for an OpenAI-compatible cloud without a (full) Responses API, here
 * {@code groq/llama-3.3-70b-versatile}: the SDK's Responses calls go out as chat completions (strict mock), the
 * answers come back as Responses objects and events, metered at Groq's prices from the bundled price book.
 */
class ResponsesToChatCompletionsTest {
    static final String MODEL = "llama-3.3-70b-versatile";
    static final String UNIFIED = "groq/" + MODEL;
    static final String PATH = "/groq/openai/v1/chat/completions";
    static final String PROVIDER_KEY = "gsk-responses-e2e";
    static final String GATEWAY_KEY = "gw-responses-groq";
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("groq", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("/groq/openai/v1")));
        keyId = gw.admin.createKey("{\"name\":\"q\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
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

    /** Groq's chat completions: a Responses-only field reaching it would be "unsupported", as Groq says. */
    static void answer(Function<JsonNode, Reply> answer) {
        upstream.on("POST", PATH, OpenAiApi.chat("Authorization", "Bearer " + PROVIDER_KEY, MODEL, body -> {
            for (String field : List.of("input", "instructions", "max_output_tokens", "text", "store", "reasoning")) {
                if (body.has(field)) return OpenAiApi.error(400, "invalid_request_error", "property '" + field + "' is unsupported");
            }
            return answer.apply(body);
        }));
    }

    static JsonNode lastBody() {
        return Golden.parse(upstream.last().body());
    }

    @Test
    void aResponsesRequestGoesOutAsAChatCompletionAndComesBackAsAResponse() {
        answer(body -> Reply.json(200, Fixtures.chatCompletion(MODEL, "Hola", 8101, 4)));

        Response r = sdk.responses().create(ResponsesSdk.create(UNIFIED).instructions("Answer in Spanish.").input("Hello")
                .maxOutputTokens(200L).temperature(0.3).build());

        assertThat(r.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(ResponsesSdk.outputText(r)).isEqualTo("Hola");
        assertThat(r.usage().orElseThrow().inputTokens()).isEqualTo(8101);
        assertThat(r.usage().orElseThrow().outputTokens()).isEqualTo(4);
        MockUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo(PATH);
        JsonNode body = lastBody();
        JsonNode messages = body.get("messages");
        assertThat(messages.get(0).get("role").asText()).isIn("system", "developer");
        assertThat(messages.get(0).get("content").toString()).contains("Answer in Spanish.");
        assertThat(messages.get(messages.size() - 1).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(messages.size() - 1).get("content").toString()).contains("Hello");
        assertThat(body.path("max_completion_tokens").asInt(body.path("max_tokens").asInt())).as("max_output_tokens in %s", body).isEqualTo(200);
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.3);

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 8101), "groq", MODEL, 8101, 4, "groq");
    }

    @Test
    void textFormatJsonSchemaBecomesResponseFormat() {
        answer(body -> body.path("response_format").path("type").asText().equals("json_schema")
                ? Reply.json(200, Fixtures.chatCompletion(MODEL, "{\\\"name\\\":\\\"Ann\\\",\\\"age\\\":30}", 8301, 9))
                : OpenAiApi.error(400, "invalid_request_error", "test: no response_format json_schema in " + body));

        Response r = sdk.responses().create(ResponsesSdk.create(UNIFIED).input("Ann is 30.").text(ResponsesSdk.personFormat()).build());

        assertThat(Golden.parse(ResponsesSdk.outputText(r)).get("age").asInt()).isEqualTo(30);
        JsonNode schema = lastBody().get("response_format").get("json_schema");
        assertThat(schema.get("name").asText()).isEqualTo("person");
        assertThat(schema.get("schema").get("properties").get("age").get("type").asText()).isEqualTo("integer");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 8301), "groq", MODEL, 8301, 9, "groq");
    }

    @Test
    void aStreamGoesOutAsAChatStreamWithUsageAndComesBackAsResponsesEvents() {
        answer(body -> body.path("stream").asBoolean()
                ? Reply.sse(Fixtures.chatStream(MODEL, List.of("Hel", "lo", " world"), 8201, 9,
                        body.path("stream_options").path("include_usage").asBoolean()))
                : OpenAiApi.error(400, "invalid_request_error", "test expected a stream"));

        List<ResponseStreamEvent> events = ResponsesSdk.stream(sdk, ResponsesSdk.create(UNIFIED).input("Say hello").build());

        Response done = ResponsesSdk.assertWellFormed(events);
        assertThat(ResponsesSdk.deltas(events)).isEqualTo("Hello world");
        assertThat(ResponsesSdk.outputText(done)).isEqualTo("Hello world");
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(8201);
        assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(9);
        assertThat(lastBody().path("stream_options").path("include_usage").asBoolean())
                .as("the gateway asks the chat stream for the usage it meters").isTrue();

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 8201), "groq", MODEL, 8201, 9, "groq");
    }

    @Test
    void aStreamedToolCallArrivesAsFunctionCallItems() {
        answer(body -> Reply.sse(OpenAiApi.toolCallStream(MODEL)));

        List<ResponseStreamEvent> events = ResponsesSdk.stream(sdk, ResponsesSdk.create(UNIFIED).input("Weather in Paris and Rome?")
                .addTool(ResponsesSdk.weatherTool()).build());

        Response done = ResponsesSdk.assertWellFormed(events);
        List<ResponseFunctionToolCall> calls = ResponsesSdk.functionCalls(done);
        assertThat(calls).extracting(ResponseFunctionToolCall::callId).containsExactly("call_P", "call_R");
        assertThat(ResponsesSdk.argumentDeltas(events, calls.get(0).id().orElseThrow())).isEqualTo("{\"city\":\"Paris\"}");
        JsonNode tool = lastBody().get("tools").get(0);
        assertThat(tool.get("type").asText()).isEqualTo("function");
        assertThat(tool.get("function").get("name").asText()).isEqualTo("get_weather");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 4105), "groq", MODEL, 4105, 30, "groq");
    }

    @Test
    void storeTrueIsRefusedForAnOpenAiCompatibleCloudToo() {
        assertThatThrownBy(() -> sdk.responses().create(ResponsesSdk.create(UNIFIED).input("hi").store(true).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("store").hasMessageContaining("stateless");
        assertThat(upstream.calls()).isZero();
    }
}
