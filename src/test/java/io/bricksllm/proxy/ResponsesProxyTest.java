package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseStreamEvent;
import io.bricksllm.metering.ModelPrice;
import io.bricksllm.metering.PriceBook;
import io.bricksllm.store.Json;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's Responses API on the native OpenAI path ({@code /api/providers/openai/v1/responses}), with the official
 * openai-java SDK: answers and streams arrive as the upstream sent them, each is an event priced from the Responses
 * usage (cached and reasoning counts included), the gateway adds nothing to the upstream body, the response
 * resources pass through, and the key's governance (models, budget, PII policy) applies.
 */
class ResponsesProxyTest {
    static final String PREFIX = "/api/providers/openai/v1";
    static final String MODEL = "gpt-4o-mini";
    static final PriceBook PRICES = PriceBook.load(Optional.empty());
    static final AtomicInteger KEYS = new AtomicInteger();

    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String settingId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        settingId = gw.admin.createSetting("openai", Map.of("apikey", "sk-provider-responses", "url", upstream.url("/v1")));
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

    /** A fresh key on the OpenAI setting ({@code extra}: more key fields, starting with a comma); returns {secret, keyId}. */
    static String[] key(String extra) {
        String secret = "gw-responses-" + KEYS.incrementAndGet();
        String id = gw.admin.createKey("{\"name\":\"r\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + settingId + "\"]" + extra + "}")
                .get("keyId").asText();
        return new String[] {secret, id};
    }

    static OpenAIClient sdk(String key) {
        return OpenAIOkHttpClient.builder().apiKey(key).baseUrl(gw.proxyUrl() + PREFIX).maxRetries(0).build();
    }

    /** A whole Responses API object as OpenAI answers it; {@code usage} null while in progress. */
    static String response(String status, String text, String usage) {
        String output = text == null ? "[]" : "[{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":" + Json.write(text) + ",\"annotations\":[]}]}]";
        return "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741476542,\"status\":\"" + status + "\",\"error\":null,"
                + "\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,\"model\":\"" + MODEL + "\","
                + "\"output\":" + output + ",\"parallel_tool_calls\":true,\"previous_response_id\":null,"
                + "\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":true,\"temperature\":1.0,"
                + "\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,"
                + "\"truncation\":\"disabled\",\"usage\":" + usage + ",\"user\":null,\"metadata\":{}}";
    }

    static String usage(long input, long cached, long output, long reasoning) {
        return "{\"input_tokens\":" + input + ",\"input_tokens_details\":{\"cached_tokens\":" + cached + "},\"output_tokens\":" + output
                + ",\"output_tokens_details\":{\"reasoning_tokens\":" + reasoning + "},\"total_tokens\":" + (input + output) + "}";
    }

    /** A Responses stream as OpenAI sends it: named events, the usage in the closing event's response, no [DONE]. */
    static List<String> stream(List<String> words, String closing, String usage) {
        List<String> events = new ArrayList<>();
        int seq = 0;
        events.add(event("response.created", "{\"type\":\"response.created\",\"sequence_number\":" + seq++ + ",\"response\":"
                + response("in_progress", null, "null") + "}"));
        events.add(event("response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":" + seq++
                + ",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}"));
        for (String w : words) {
            events.add(event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":" + seq++
                    + ",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":" + Json.write(w) + ",\"logprobs\":[]}"));
        }
        String text = String.join("", words);
        events.add(event("response.output_text.done", "{\"type\":\"response.output_text.done\",\"sequence_number\":" + seq++
                + ",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"text\":" + Json.write(text) + ",\"logprobs\":[]}"));
        String status = closing.substring("response.".length());
        events.add(event(closing, "{\"type\":\"" + closing + "\",\"sequence_number\":" + seq + ",\"response\":"
                + response(status, text, usage) + "}"));
        return events;
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data;
    }

    /** The price book's cost of these counts for gpt-4o-mini: cached input at the cache-read price, reasoning within output. */
    static double cost(long input, long cached, long output) {
        ModelPrice p = PRICES.find("openai", MODEL).orElseThrow();
        BigDecimal in = p.input().perMillion(input);
        BigDecimal cacheRead = p.cacheRead().map(c -> c.perMillion(input)).orElse(in);
        return in.multiply(BigDecimal.valueOf(input - cached))
                .add(cacheRead.multiply(BigDecimal.valueOf(cached)))
                .add(p.output().perMillion(input).multiply(BigDecimal.valueOf(output)))
                .divide(BigDecimal.valueOf(1_000_000), MathContext.DECIMAL64).doubleValue();
    }

    static void assertMetered(JsonNode e, long input, long cached, long output, long reasoning) {
        assertThat(e.get("provider").asText()).isEqualTo("openai");
        assertThat(e.get("model").asText()).as("model in %s", e).isEqualTo(MODEL);
        assertThat(e.get("prompt_token_count").asLong()).as("input tokens in %s", e).isEqualTo(input);
        assertThat(e.get("completion_token_count").asLong()).as("output tokens in %s", e).isEqualTo(output);
        assertThat(e.get("cache_read_token_count").asLong()).as("cached tokens in %s", e).isEqualTo(cached);
        assertThat(e.get("reasoning_token_count").asLong()).as("reasoning tokens in %s", e).isEqualTo(reasoning);
        double expected = cost(input, cached, output);
        assertThat(expected).isPositive();
        assertThat(e.get("cost_in_usd").asDouble()).as("cost in %s", e).isCloseTo(expected, within(1e-12));
        assertThat(e.get("status").asInt()).isEqualTo(200);
    }

    @Test
    void sdkCreateGetsTheAnswerAndTheEventIsPricedFromTheResponsesUsage() {
        String[] k = key("");
        upstream.on("POST", "/v1/responses", Reply.json(200, response("completed", "hello there", usage(2048, 1024, 300, 128))));

        Response r = sdk(k[0]).responses().create(ResponseCreateParams.builder().model(MODEL).input("Say hello")
                .instructions("Be brief").maxOutputTokens(500L).build());

        ResponseOutputMessage message = r.output().get(0).asMessage();
        assertThat(message.content().get(0).asOutputText().text()).isEqualTo("hello there");
        assertThat(r.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(128);
        MockUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-provider-responses");
        JsonNode body = parse(sent.bodyText());
        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("input").asText()).isEqualTo("Say hello");
        assertThat(body.has("stream_options")).isFalse();
        assertMetered(Events.single(gw.admin, k[1]), 2048, 1024, 300, 128);
    }

    @Test
    void sdkStreamArrivesEventByEventAndIsPricedFromResponseCompleted() {
        String[] k = key("");
        List<String> events = stream(List.of("Hel", "lo", " world"), "response.completed", usage(1500, 512, 40, 16));
        upstream.on("POST", "/v1/responses", Reply.sse(events));

        List<ResponseStreamEvent> got;
        try (StreamResponse<ResponseStreamEvent> s = sdk(k[0]).responses().createStreaming(ResponseCreateParams.builder()
                .model(MODEL).input("Say hello").build())) {
            got = s.stream().toList();
        }

        assertThat(got).hasSize(events.size());
        StringBuilder text = new StringBuilder();
        got.stream().filter(ResponseStreamEvent::isOutputTextDelta).forEach(e -> text.append(e.asOutputTextDelta().delta()));
        assertThat(text.toString()).isEqualTo("Hello world");
        ResponseStreamEvent last = got.get(got.size() - 1);
        assertThat(last.isCompleted()).isTrue();
        assertThat(last.asCompleted().response().usage().orElseThrow().inputTokens()).isEqualTo(1500);
        JsonNode body = parse(upstream.last().bodyText());
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.has("stream_options")).as("no stream_options injected into a Responses request: %s", body).isFalse();
        assertMetered(Events.single(gw.admin, k[1]), 1500, 512, 40, 16);
    }

    @Test
    void theStreamReachesTheCallerByteForByteWithNothingAddedOrRemoved() {
        String[] k = key("");
        List<String> events = stream(List.of("a", "b"), "response.incomplete", usage(700, 0, 20, 0));
        upstream.on("POST", "/v1/responses", Reply.sse(events));

        ProxyClient.Reply r = proxy.postJson(PREFIX + "/responses", k[0], "{\"model\":\"" + MODEL + "\",\"input\":\"x\",\"stream\":true}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(String.join("\n\n", events) + "\n\n");
        assertThat(r.text()).doesNotContain("[DONE]");
        assertThat(upstream.last().bodyText()).isEqualTo("{\"model\":\"" + MODEL + "\",\"input\":\"x\",\"stream\":true}");
        assertMetered(Events.single(gw.admin, k[1]), 700, 0, 20, 0);
    }

    @Test
    void aStreamWithoutUsageIsMeteredByCountingItsText() {
        String[] k = key("");
        List<String> events = new ArrayList<>(stream(List.of("one ", "two ", "three"), "response.completed", "null"));
        upstream.on("POST", "/v1/responses", Reply.sse(events));

        assertThat(proxy.postJson(PREFIX + "/responses", k[0], "{\"model\":\"" + MODEL + "\",\"input\":\"count me\",\"stream\":true}")
                .status()).isEqualTo(200);

        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("model").asText()).isEqualTo(MODEL);
        assertThat(e.get("prompt_token_count").asLong()).isPositive();
        assertThat(e.get("completion_token_count").asLong()).isPositive();
        assertThat(e.get("cost_in_usd").asDouble()).isPositive();
    }

    @Test
    void aStreamTheUpstreamCutsEndsWithAResponsesErrorEventTheSdkRaisesAndIsMeteredFromItsText() {
        String[] k = key("");
        List<String> events = stream(List.of("one ", "two ", "three"), "response.completed", usage(50, 0, 3, 0));
        upstream.on("POST", "/v1/responses", Reply.sse(events).dyingAfter(4)); // created, item added, two deltas

        ProxyClient.Reply r = proxy.postJson(PREFIX + "/responses", k[0], "{\"model\":\"" + MODEL + "\",\"input\":\"hi\",\"stream\":true}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).startsWith(String.join("\n\n", events.subList(0, 4)) + "\n\n")
                .contains("event: error\ndata: {\"type\":\"error\"").doesNotContain("[DONE]");
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("completion_token_count").asLong()).as("the two deltas counted: %s", e).isPositive();

        upstream.on("POST", "/v1/responses", Reply.sse(events).dyingAfter(4));
        try (StreamResponse<ResponseStreamEvent> s = sdk(k[0]).responses().createStreaming(ResponseCreateParams.builder()
                .model(MODEL).input("hi").build())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.stream().toList()).hasMessageContaining("BricksLLM");
        }
    }

    /**
     * The closing event repeats the whole response (output, instructions, tools): one beyond the framer's cap (1 MiB)
     * is relayed intact but not parsed, and the request is still metered, from the streamed text.
     */
    @Test
    void aClosingEventTooBigToParseIsRelayedIntactAndMeteredByCounting() {
        String[] k = key("");
        String big = "word ".repeat(250_000);
        List<String> events = new ArrayList<>(stream(List.of("short answer"), "response.completed", usage(10, 0, 3, 0)));
        events.set(events.size() - 1, events.getLast().replace("\"instructions\":null", "\"instructions\":\"" + big + "\""));
        upstream.on("POST", "/v1/responses", Reply.sse(events));

        ProxyClient.Reply r = proxy.postJson(PREFIX + "/responses", k[0], "{\"model\":\"" + MODEL + "\",\"input\":\"hi\",\"stream\":true}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(String.join("\n\n", events) + "\n\n");
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("completion_token_count").asLong()).as("counted from the delta: %s", e).isBetween(1L, 5L);
        assertThat(e.get("cost_in_usd").asDouble()).isPositive();
    }

    @Test
    void retrieveDeleteCancelAndInputItemsPassThroughUnpriced() {
        String[] k = key("");
        upstream.on("GET", "/v1/responses/resp_1", Reply.json(200, response("completed", "kept", usage(10, 0, 2, 0))));
        upstream.on("DELETE", "/v1/responses/resp_1", Reply.json(200, "{\"id\":\"resp_1\",\"object\":\"response\",\"deleted\":true}"));
        upstream.on("POST", "/v1/responses/resp_1/cancel", Reply.json(200, response("cancelled", null, "null")));
        upstream.on("GET", "/v1/responses/resp_1/input_items", Reply.json(200, "{\"object\":\"list\",\"data\":[{\"type\":\"message\","
                + "\"id\":\"msg_0\",\"status\":\"completed\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}],"
                + "\"first_id\":\"msg_0\",\"last_id\":\"msg_0\",\"has_more\":false}"));
        upstream.on("POST", "/v1/responses/input_tokens", Reply.json(200, "{\"object\":\"response.input_tokens\",\"input_tokens\":11}"));
        OpenAIClient client = sdk(k[0]);

        assertThat(client.responses().retrieve("resp_1").id()).isEqualTo("resp_1");
        client.responses().delete("resp_1");
        assertThat(client.responses().cancel("resp_1").status()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("cancelled"));
        assertThat(client.responses().inputItems().list("resp_1").data()).hasSize(1);
        ProxyClient.Reply counted = proxy.postJson(PREFIX + "/responses/input_tokens", k[0], "{\"model\":\"" + MODEL + "\",\"input\":\"hi\"}");
        assertThat(counted.status()).isEqualTo(200);
        assertThat(counted.text()).contains("\"input_tokens\":11");

        assertThat(upstream.received()).extracting(MockUpstream.Received::method, MockUpstream.Received::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("GET", "/v1/responses/resp_1"),
                org.assertj.core.groups.Tuple.tuple("DELETE", "/v1/responses/resp_1"),
                org.assertj.core.groups.Tuple.tuple("POST", "/v1/responses/resp_1/cancel"),
                org.assertj.core.groups.Tuple.tuple("GET", "/v1/responses/resp_1/input_items"),
                org.assertj.core.groups.Tuple.tuple("POST", "/v1/responses/input_tokens"));
        upstream.received().forEach(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer sk-provider-responses"));
        List<JsonNode> recorded = Events.await(gw.admin, k[1], 5);
        assertThat(recorded).allSatisfy(e -> assertThat(e.get("cost_in_usd").asDouble()).isZero());
    }

    @Test
    void aModelOutsideTheSettingsAllowedModelsIsRefusedBeforeTheUpstream() {
        AdminClient.Reply s = gw.admin.put("/api/provider-settings", Json.write(Map.of("provider", "openai",
                "setting", Map.of("apikey", "sk-up", "url", upstream.url("/v1")), "allowedModels", List.of("gpt-4o"))));
        String restricted = s.json().get("id").asText();
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"gw-responses-models\",\"settingIds\":[\"" + restricted + "\"]}");

        ProxyClient.Reply r = proxy.postJson(PREFIX + "/responses", "gw-responses-models", "{\"model\":\"" + MODEL + "\",\"input\":\"hi\"}");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("model is not allowed");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void aKeyOverItsBudgetIsRefusedAfterTheResponseThatSpentIt() {
        String[] k = key(",\"costLimitInUsd\":0.0001");
        upstream.on("POST", "/v1/responses", Reply.json(200, response("completed", "expensive", usage(100, 0, 5000, 0))));
        String body = "{\"model\":\"" + MODEL + "\",\"input\":\"hi\",\"max_output_tokens\":5000}";

        assertThat(proxy.postJson(PREFIX + "/responses", k[0], body).status()).isEqualTo(200);
        Events.single(gw.admin, k[1]);
        ProxyClient.Reply refused = proxy.postJson(PREFIX + "/responses", k[0], body);

        assertThat(refused.status()).as(refused.text()).isEqualTo(429);
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void azureServesTheResponsesApiOutsideItsDeploymentsAndIsMeteredTheSame() {
        String azure = gw.admin.createSetting("azure", Map.of("apikey", "azure-responses", "url", upstream.url("/az")));
        String secret = "gw-responses-azure";
        String keyId = gw.admin.createKey("{\"name\":\"a\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + azure + "\"]}")
                .get("keyId").asText();
        upstream.on("POST", "/az/openai/responses", Reply.json(200, response("completed", "from azure", usage(900, 0, 30, 0))));
        upstream.on("POST", "/az/openai/v1/responses", Reply.sse(stream(List.of("v1"), "response.completed", usage(901, 0, 31, 0))));
        upstream.on("GET", "/az/openai/v1/responses/resp_1", Reply.json(200, response("completed", "kept", usage(1, 0, 1, 0))));
        String body = "{\"model\":\"" + MODEL + "\",\"input\":\"hi\"}";

        ProxyClient.Reply preview = proxy.postJson("/api/providers/azure/openai/responses?api-version=2025-04-01-preview", secret, body);
        ProxyClient.Reply v1 = proxy.postJson("/api/providers/azure/openai/v1/responses", secret, body.replace("}", ",\"stream\":true}"));
        ProxyClient.Reply got = proxy.get("/api/providers/azure/openai/v1/responses/resp_1", secret);

        assertThat(preview.status()).as(preview.text()).isEqualTo(200);
        assertThat(v1.status()).as(v1.text()).isEqualTo(200);
        assertThat(got.status()).as(got.text()).isEqualTo(200);
        assertThat(upstream.received().get(0).query()).isEqualTo("api-version=2025-04-01-preview");
        assertThat(upstream.received()).allSatisfy(r -> assertThat(r.header("api-key")).isEqualTo("azure-responses"));
        assertThat(parse(upstream.received().get(1).bodyText()).has("stream_options")).isFalse();
        List<JsonNode> events = Events.await(gw.admin, keyId, 3);
        assertThat(events).filteredOn(e -> e.get("prompt_token_count").asLong() == 900).singleElement()
                .satisfies(e -> assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(cost(900, 0, 30), within(1e-12)));
        assertThat(events).filteredOn(e -> e.get("prompt_token_count").asLong() == 901).singleElement()
                .satisfies(e -> assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(cost(901, 0, 31), within(1e-12)));
    }

    /** Creates a policy and a key using it; returns {secret, keyId}. */
    static String[] keyWithPolicy(String rules) {
        AdminClient.Reply p = gw.admin.post("/api/policies", "{\"name\":\"p\",\"config\":{\"rules\":" + rules + "}}");
        assertThat(p.status()).as(p.body()).isEqualTo(200);
        return key(",\"policyId\":\"" + p.json().get("id").asText() + "\"");
    }

    static final String PII_BODY = "{\"model\":\"" + MODEL + "\",\"instructions\":\"Answer jane.doe@example.com politely\","
            + "\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"I am john.roe@example.org\"}]},"
            + "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"write to ann@example.net\"}]},"
            + "{\"role\":\"user\",\"content\":\"and bob@example.com\"}]}";

    @Test
    void emailsInInputItemsAndInstructionsAreRedactedBeforeTheUpstreamSeesThem() {
        String[] k = keyWithPolicy("{\"email\":\"allow_but_redact\"}");
        upstream.on("POST", "/v1/responses", Reply.json(200, response("completed", "ok", usage(30, 0, 2, 0))));

        assertThat(proxy.postJson(PREFIX + "/responses", k[0], PII_BODY).status()).isEqualTo(200);

        String sent = upstream.last().bodyText();
        assertThat(sent).doesNotContain("jane.doe@example.com", "john.roe@example.org", "ann@example.net", "bob@example.com")
                .contains("Answer ", "I am ", "write to ", "and ");
        assertThat(sent).isEqualTo(PII_BODY.replaceAll("[a-z.]+@example\\.[a-z]+", "***"));
    }

    @Test
    void aStringInputWithABlockedEntityNeverReachesTheUpstream() {
        String[] k = keyWithPolicy("{\"email\":\"block\"}");

        ProxyClient.Reply r = proxy.postJson(PREFIX + "/responses", k[0], "{\"model\":\"" + MODEL + "\",\"input\":\"mail jane.doe@example.com\"}");
        ProxyClient.Reply viaInstructions = proxy.postJson(PREFIX + "/responses", k[0], "{\"model\":\"" + MODEL
                + "\",\"instructions\":\"cc jane.doe@example.com\",\"input\":\"hi\"}");

        assertThat(r.status()).isEqualTo(403);
        assertThat(viaInstructions.status()).isEqualTo(403);
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void aToolResultItemIsScannedToo() {
        String[] k = keyWithPolicy("{\"email\":\"allow_but_redact\"}");
        upstream.on("POST", "/v1/responses", Reply.json(200, response("completed", "ok", usage(30, 0, 2, 0))));
        String body = "{\"model\":\"" + MODEL + "\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"lookup\","
                + "\"arguments\":\"{}\"},{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"owner: jane.doe@example.com\"}]}";

        assertThat(proxy.postJson(PREFIX + "/responses", k[0], body).status()).isEqualTo(200);

        assertThat(upstream.last().bodyText()).doesNotContain("jane.doe@example.com").contains("owner: ***");
    }
}
