package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import io.bricksllm.metering.ModelPrice;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /v1/responses} on the unified surface for an OpenAI model ({@code openai/gpt-…} or a bare {@code gpt-…}):
 * the official openai-java SDK's Responses calls reach OpenAI's own Responses API as sent (stateful fields kept, no
 * {@code stream_options} added), come back as OpenAI answered, and are priced from the Responses usage.
 */
class ResponsesNativeOpenAiTest {
    static final String MODEL = "gpt-4o-mini";
    static final String PROVIDER_KEY = "sk-openai-responses-e2e";
    static final String GATEWAY_KEY = "gw-responses-native";
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("openai", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("/v1")));
        String azure = gw.admin.createSetting("azure", Map.of("apikey", "azure-responses-e2e", "url", upstream.url("/az")));
        keyId = gw.admin.createKey("{\"name\":\"n\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + s + "\",\"" + azure + "\"]}")
                .get("keyId").asText();
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

    /** OpenAI's Responses endpoint: the provider key, the bare model id, nothing the gateway would add. */
    static void answer(java.util.function.Function<JsonNode, Reply> answer) {
        upstream.on("POST", "/v1/responses", OpenAiApi.chat("Authorization", "Bearer " + PROVIDER_KEY, MODEL, body ->
                body.has("stream_options") ? OpenAiApi.error(400, "invalid_request_error", "Unknown parameter: 'stream_options'.")
                        : answer.apply(body)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai/" + MODEL, MODEL})
    void aJsonAnswerPassesThroughUnchangedWithStoreAndPreviousResponseIdAndIsPricedFromItsUsage(String model) {
        long input = model.contains("/") ? 5101 : 5102;
        String answer = ResponsesSdk.openAiResponse(MODEL, "completed", "Bonjour", ResponsesSdk.usage(input, 1024, 300, 128), true, "resp_prev_9");
        answer(body -> Reply.json(200, answer));

        Response r = sdk.responses().create(ResponsesSdk.create(model).input("Say hello").instructions("In French.")
                .store(true).previousResponseId("resp_prev_9").maxOutputTokens(500L).build());

        assertThat(ResponsesSdk.outputText(r)).isEqualTo("Bonjour");
        assertThat(r.id()).isEqualTo("resp_native_1");
        assertThat(r.previousResponseId()).hasValue("resp_prev_9");
        assertThat(r.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(1024);
        assertThat(r.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(128);

        MockUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.header("Authorization")).as("the gateway key never reaches OpenAI").isEqualTo("Bearer " + PROVIDER_KEY);
        JsonNode body = Golden.parse(sent.body());
        assertThat(body.get("model").asText()).as("the provider prefix is removed").isEqualTo(MODEL);
        assertThat(body.get("store").asBoolean()).as("native OpenAI keeps state: store reaches it").isTrue();
        assertThat(body.get("previous_response_id").asText()).isEqualTo("resp_prev_9");
        assertThat(body.get("instructions").asText()).isEqualTo("In French.");
        assertThat(body.get("input").asText()).isEqualTo("Say hello");
        assertThat(body.get("max_output_tokens").asInt()).isEqualTo(500);
        assertThat(body.has("messages")).as("not translated to chat completions: %s", body).isFalse();

        ProxyClient.Reply raw = new ProxyClient(gw.proxyUrl()).postJson("/v1/responses", GATEWAY_KEY,
                "{\"model\":\"" + model + "\",\"input\":\"Say hello\"}");
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.text()).as("the body is OpenAI's, byte for byte").isEqualTo(answer);

        List<JsonNode> events = Metering.events(gw.admin, keyId, e -> e.get("prompt_token_count").asLong() == input, 2);
        assertThat(events).allSatisfy(e -> assertNativeMetered(e, input, 1024, 300, 128));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai/" + MODEL, MODEL})
    void aStreamPassesThroughEventByEventAndIsPricedFromResponseCompleted(String model) {
        long input = model.contains("/") ? 5201 : 5202;
        List<String> sse = ResponsesSdk.openAiStream(MODEL, List.of("Hel", "lo", " world"), ResponsesSdk.usage(input, 512, 40, 16));
        answer(body -> body.path("stream").asBoolean() ? Reply.sse(sse) : OpenAiApi.error(400, "invalid_request_error", "test expected a stream"));

        List<ResponseStreamEvent> events = ResponsesSdk.stream(sdk, ResponsesSdk.create(model).input("Say hello").store(true).build());

        assertThat(events).hasSize(sse.size());
        Response done = ResponsesSdk.assertWellFormed(events);
        assertThat(ResponsesSdk.deltas(events)).isEqualTo("Hello world");
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(input);
        assertThat(ResponsesSdk.outputText(ResponsesSdk.accumulate(events))).isEqualTo("Hello world");
        JsonNode body = Golden.parse(upstream.last().body());
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.get("store").asBoolean()).isTrue();
        assertThat(body.has("stream_options")).as("no stream_options added to a Responses request: %s", body).isFalse();

        ProxyClient.Reply raw = new ProxyClient(gw.proxyUrl()).postJson("/v1/responses", GATEWAY_KEY,
                "{\"model\":\"" + model + "\",\"input\":\"Say hello\",\"stream\":true}");
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.text()).as("the stream is OpenAI's, byte for byte, with no [DONE]").isEqualTo(String.join("\n\n", sse) + "\n\n");

        List<JsonNode> metered = Metering.events(gw.admin, keyId, e -> e.get("prompt_token_count").asLong() == input, 2);
        assertThat(metered).allSatisfy(e -> assertNativeMetered(e, input, 512, 40, 16));
    }

    @org.junit.jupiter.api.Test
    void azureServesTheResponsesApiItselfWithTheDeploymentAsTheModel() {
        String answer = ResponsesSdk.openAiResponse(MODEL, "completed", "from azure", ResponsesSdk.usage(5301, 0, 7, 0), true, null);
        upstream.on("POST", "/az/openai/v1/responses", OpenAiApi.chat("api-key", "azure-responses-e2e", MODEL, body -> Reply.json(200, answer)));

        Response r = sdk.responses().create(ResponsesSdk.create("azure/" + MODEL).input("hi").previousResponseId("resp_prev_az").build());

        assertThat(ResponsesSdk.outputText(r)).isEqualTo("from azure");
        MockUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/az/openai/v1/responses");
        assertThat(sent.header("Authorization")).as("Azure's credential is api-key").isNull();
        JsonNode body = Golden.parse(sent.body());
        assertThat(body.get("previous_response_id").asText()).as("Azure keeps state as OpenAI does").isEqualTo("resp_prev_az");
        assertThat(body.has("stream_options")).isFalse();
        JsonNode e = Metering.eventWithPrompt(gw.admin, keyId, 5301);
        assertThat(e.get("provider").asText()).isEqualTo("azure");
        assertThat(e.get("model").asText()).isEqualTo(MODEL);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(7);
        assertThat(e.get("cost_in_usd").asDouble()).as("%s", e).isPositive();
    }

    /** OpenAI's prices: cached input at the cache-read price, reasoning tokens inside the output count. */
    static void assertNativeMetered(JsonNode e, long input, long cached, long output, long reasoning) {
        assertThat(e.get("provider").asText()).as("provider in %s", e).isEqualTo("openai");
        assertThat(e.get("model").asText()).as("model without prefix in %s", e).isEqualTo(MODEL);
        assertThat(e.get("prompt_token_count").asLong()).as("input tokens in %s", e).isEqualTo(input);
        assertThat(e.get("completion_token_count").asLong()).as("output tokens in %s", e).isEqualTo(output);
        assertThat(e.get("cache_read_token_count").asLong()).as("cached tokens in %s", e).isEqualTo(cached);
        assertThat(e.get("reasoning_token_count").asLong()).as("reasoning tokens in %s", e).isEqualTo(reasoning);
        assertThat(e.get("status").asInt()).isEqualTo(200);
        ModelPrice p = Metering.PRICES.find("openai", MODEL).orElseThrow();
        BigDecimal in = p.input().perMillion(input);
        BigDecimal cacheRead = p.cacheRead().map(c -> c.perMillion(input)).orElse(in);
        double expected = in.multiply(BigDecimal.valueOf(input - cached)).add(cacheRead.multiply(BigDecimal.valueOf(cached)))
                .add(p.output().perMillion(input).multiply(BigDecimal.valueOf(output)))
                .divide(BigDecimal.valueOf(1_000_000), MathContext.DECIMAL64).doubleValue();
        assertThat(cacheRead).as("gpt-4o-mini has a cache-read price, so the test tells them apart").isLessThan(in);
        assertThat(e.get("cost_in_usd").asDouble()).as("cost in %s", e).isCloseTo(expected, within(1e-12));
    }
}
