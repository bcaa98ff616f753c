package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.CostCalculator;
import io.bricksllm.metering.CostOverride;
import io.bricksllm.metering.PriceBook;
import io.bricksllm.metering.PriceKind;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.metering.Usage;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gemini's native API at {@code /api/providers/gemini/…}, as the google-genai SDKs call it (the gateway key as their API
 * key, in {@code x-goog-api-key}, or in {@code ?key=} as Google's REST examples do): forwarded with the provider key,
 * metered from {@code usageMetadata}, priced with Google's prices, the model taken from the path.
 */
class GeminiNativeProxyTest {
    static final String MODEL = "gemini-2.5-flash";
    static final String GENERATE = "/v1beta/models/" + MODEL + ":generateContent";
    static final String STREAM = "/v1beta/models/" + MODEL + ":streamGenerateContent";
    static final String PREFIX = "/api/providers/gemini";
    static final String BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello\"}]}],"
            + "\"generationConfig\":{\"maxOutputTokens\":500}}";
    static final String ANSWER = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi!\"}],\"role\":\"model\"},"
            + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":120,\"candidatesTokenCount\":30,"
            + "\"totalTokenCount\":195,\"thoughtsTokenCount\":45,\"cachedContentTokenCount\":100},"
            + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}";
    static final CostCalculator COSTS = new CostCalculator(PriceBook.load(Optional.empty()));

    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String keyId;
    static String limitedKeyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        String gemini = gw.admin.createSetting("gemini", Map.of("apikey", "gemini-provider-key", "url", upstream.url("")));
        String openai = gw.admin.createSetting("openai", Map.of("apikey", "openai-provider-key", "url", upstream.url("/v1")));
        keyId = gw.admin.createKey("{\"name\":\"g\",\"key\":\"gw-gemini\",\"settingIds\":[\"" + gemini + "\",\"" + openai + "\"]}")
                .get("keyId").asText();
        String limited = gw.admin.put("/api/provider-settings", "{\"provider\":\"gemini\",\"setting\":{\"apikey\":\"k\",\"url\":\""
                + upstream.url("") + "\"},\"allowedModels\":[\"gemini-2.5-pro\"]}").json().get("id").asText();
        limitedKeyId = gw.admin.createKey("{\"name\":\"l\",\"key\":\"gw-gemini-pro-only\",\"settingIds\":[\"" + limited + "\"]}")
                .get("keyId").asText();
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

    static ProxyClient.Reply post(String pathAndQuery, Map<String, String> headers, String body) {
        Map<String, String> h = new java.util.HashMap<>(headers);
        h.put("Content-Type", "application/json");
        return proxy.send("POST", PREFIX + pathAndQuery, h, body.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode eventWithPrompt(String key, long promptTokens) {
        return Events.awaitMatching(gw.admin, key, e -> e.get("prompt_token_count").asLong() == promptTokens, 1).get(0);
    }

    static double cost(String model, Usage usage, PriceKind kind) {
        return COSTS.cost("google", model, usage, CostOverride.NONE, kind).usd().doubleValue();
    }

    @Test
    void generateContentWithTheGatewayKeyAsGoogApiKeyReachesGeminiWithTheProviderKeyAndIsMeteredFromUsageMetadata() {
        upstream.on("POST", GENERATE, MockUpstream.Reply.json(200, ANSWER));

        ProxyClient.Reply r = post(GENERATE, Map.of("x-goog-api-key", "gw-gemini"), BODY);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(ANSWER);
        MockUpstream.Received got = upstream.last();
        assertThat(got.header("x-goog-api-key")).isEqualTo("gemini-provider-key");
        assertThat(got.header("Authorization")).isNull();
        assertThat(got.bodyText()).isEqualTo(BODY);
        assertThat(got.headers().toString()).doesNotContain("gw-gemini");

        JsonNode e = eventWithPrompt(keyId, 120);
        assertThat(e.get("provider").asText()).isEqualTo("gemini");
        assertThat(e.get("model").asText()).isEqualTo(MODEL);
        assertThat(e.get("status").asInt()).isEqualTo(200);
        // thoughts are billed as output: 30 candidates + 45 thoughts; 100 of the 120 prompt tokens were cached
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(75);
        double expected = cost(MODEL, new Usage(120, 75, 100, 0), PriceKind.CHAT);
        assertThat(expected).isGreaterThan(0);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(e.get("unpriced").asBoolean()).isFalse();
    }

    @Test
    void theGatewayKeyInTheKeyQueryParameterAuthenticatesAndNeverReachesGemini() {
        upstream.on("POST", GENERATE, MockUpstream.Reply.json(200, ANSWER.replace("\"promptTokenCount\":120", "\"promptTokenCount\":121")));

        ProxyClient.Reply r = post(GENERATE + "?key=gw-gemini&foo=bar", Map.of(), BODY);

        assertThat(r.status()).isEqualTo(200);
        MockUpstream.Received got = upstream.last();
        assertThat(got.query()).isEqualTo("foo=bar");
        assertThat(got.header("x-goog-api-key")).isEqualTo("gemini-provider-key");
        assertThat(got.headers().toString()).doesNotContain("gw-gemini");
        assertThat(eventWithPrompt(keyId, 121).get("model").asText()).isEqualTo(MODEL);
    }

    @Test
    void anSseStreamPassesByteForByteAndIsMeteredFromItsLastUsageMetadata() {
        String stream = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],"
                + "\"usageMetadata\":{\"promptTokenCount\":130,\"candidatesTokenCount\":1,\"totalTokenCount\":131},"
                + "\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n"
                + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}],\"role\":\"model\"},\"finishReason\":\"STOP\","
                + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":130,\"candidatesTokenCount\":7,\"totalTokenCount\":149,"
                + "\"thoughtsTokenCount\":12},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n";
        upstream.on("POST", STREAM, MockUpstream.Reply.bytes(200, "text/event-stream", stream.getBytes(StandardCharsets.UTF_8)));

        ProxyClient.Reply r = post(STREAM + "?alt=sse&key=gw-gemini", Map.of(), BODY);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(stream.getBytes(StandardCharsets.UTF_8));
        assertThat(upstream.last().query()).isEqualTo("alt=sse");
        assertThat(upstream.last().bodyText()).isEqualTo(BODY); // nothing is added to a Gemini stream request
        JsonNode e = eventWithPrompt(keyId, 130);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(19);
        assertThat(e.get("model").asText()).isEqualTo(MODEL);
        assertThat(e.get("cost_in_usd").asDouble())
                .isCloseTo(cost(MODEL, Usage.of(130, 19), PriceKind.CHAT), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aStreamTheUpstreamCutsEndsWithAGoogleErrorChunkAndIsMeteredFromWhatCame() {
        String first = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],"
                + "\"usageMetadata\":{\"promptTokenCount\":150,\"candidatesTokenCount\":1,\"totalTokenCount\":151}}";
        upstream.on("POST", STREAM, MockUpstream.Reply.sse(java.util.List.of(first, first, first)).dyingAfter(1));

        ProxyClient.Reply r = post(STREAM + "?alt=sse", Map.of("x-goog-api-key", "gw-gemini"), BODY);

        assertThat(r.text()).startsWith(first + "\n\n");
        String tail = r.text().substring(first.length() + 2);
        assertThat(tail).startsWith("data: {\"error\":").endsWith("\n\n").doesNotContain("[DONE]");
        JsonNode error = Json.read(tail.substring("data: ".length()).trim(), JsonNode.class).get("error");
        assertThat(error.get("status").asText()).isEqualTo("UNAVAILABLE");
        assertThat(eventWithPrompt(keyId, 150).get("completion_token_count").asLong()).isEqualTo(1);
    }

    @Test
    void aStreamWithoutAltSseIsAJsonArrayMeteredFromItsLastElement() {
        String array = "[" + ANSWER.replace("\"promptTokenCount\":120", "\"promptTokenCount\":140")
                .replace("\"candidatesTokenCount\":30", "\"candidatesTokenCount\":3") + ",\n"
                + ANSWER.replace("\"promptTokenCount\":120", "\"promptTokenCount\":140") + "]";
        upstream.on("POST", STREAM, MockUpstream.Reply.json(200, array));

        ProxyClient.Reply r = post(STREAM, Map.of("x-goog-api-key", "gw-gemini"), BODY);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(array);
        assertThat(eventWithPrompt(keyId, 140).get("completion_token_count").asLong()).isEqualTo(75);
    }

    @Test
    void embedContentIsMeteredFromTheGatewaysCountSinceGeminiReportsNone() {
        String path = "/v1beta/models/gemini-embedding-001:embedContent";
        upstream.on("POST", path, MockUpstream.Reply.json(200, "{\"embedding\":{\"values\":[0.1,-0.2,0.3]}}"));
        String text = "The quick brown fox jumps over the lazy dog, twice over and once more.";
        String body = "{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}]}}";

        ProxyClient.Reply r = post(path, Map.of("x-goog-api-key", "gw-gemini"), body);

        assertThat(r.status()).isEqualTo(200);
        long counted = new TokenCounter().countText("gemini-embedding-001", text);
        JsonNode e = Events.awaitMatching(gw.admin, keyId, ev -> ev.get("model").asText().equals("gemini-embedding-001"), 1).get(0);
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(counted).isPositive();
        assertThat(e.get("completion_token_count").asLong()).isZero();
        assertThat(e.get("cost_in_usd").asDouble()).isPositive()
                .isCloseTo(cost("gemini-embedding-001", Usage.of(counted, 0), PriceKind.EMBEDDINGS), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void batchEmbedContentsCountsEveryRequestsText() {
        String path = "/v1/models/gemini-embedding-001:batchEmbedContents";
        upstream.on("POST", path, MockUpstream.Reply.json(200, "{\"embeddings\":[{\"values\":[0.1]},{\"values\":[0.2]}]}"));
        String body = "{\"requests\":[{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"alpha beta\"}]}},"
                + "{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\" gamma delta epsilon\"}]}}]}";

        assertThat(post(path, Map.of("x-goog-api-key", "gw-gemini"), body).status()).isEqualTo(200);
        long counted = new TokenCounter().countText("gemini-embedding-001", "alpha beta gamma delta epsilon");
        JsonNode e = Events.awaitMatching(gw.admin, keyId, ev -> ev.get("model").asText().equals("gemini-embedding-001")
                && ev.get("prompt_token_count").asLong() == counted, 1).get(0);
        assertThat(e.get("provider").asText()).isEqualTo("gemini");
    }

    @Test
    void modelListingPassesThroughWithoutTheKeyParameter() {
        upstream.on("GET", "/v1beta/models", MockUpstream.Reply.json(200, "{\"models\":[{\"name\":\"models/gemini-2.5-flash\"}]}"));

        ProxyClient.Reply r = proxy.send("GET", PREFIX + "/v1beta/models?key=gw-gemini&pageSize=5", Map.of(), null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("models/gemini-2.5-flash");
        assertThat(upstream.last().query()).isEqualTo("pageSize=5");
        assertThat(upstream.last().header("x-goog-api-key")).isEqualTo("gemini-provider-key");
    }

    @Test
    void aModelOutsideTheSettingsAllowedModelsIsRefusedInGooglesErrorShape() {
        ProxyClient.Reply r = post(GENERATE, Map.of("x-goog-api-key", "gw-gemini-pro-only"), BODY);

        assertThat(r.status()).isEqualTo(403);
        JsonNode error = Json.read(r.text(), JsonNode.class).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(403);
        assertThat(error.get("status").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(error.get("message").asText()).contains("model is not allowed");
        assertThat(upstream.calls()).isZero();
        JsonNode e = Events.single(gw.admin, limitedKeyId);
        assertThat(e.get("status").asInt()).isEqualTo(403);
        assertThat(e.get("model").asText()).isEqualTo(MODEL);
    }

    @Test
    void allowedPathsNameGeminiMethodsByTheirTemplate() {
        String setting = gw.admin.createSetting("gemini", Map.of("apikey", "gemini-provider-key", "url", upstream.url("")));
        gw.admin.createKey("{\"name\":\"p\",\"key\":\"gw-gemini-generate-only\",\"settingIds\":[\"" + setting + "\"],"
                + "\"allowedPaths\":[{\"path\":\"/api/providers/gemini/v1beta/models/:model:generateContent\",\"method\":\"POST\"}]}");
        upstream.on("POST", GENERATE, MockUpstream.Reply.json(200, ANSWER));

        assertThat(post(GENERATE, Map.of("x-goog-api-key", "gw-gemini-generate-only"), BODY).status()).isEqualTo(200);
        ProxyClient.Reply streaming = post(STREAM + "?alt=sse", Map.of("x-goog-api-key", "gw-gemini-generate-only"), BODY);
        assertThat(streaming.status()).isEqualTo(403);
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void anUnknownKeyIsRefusedWith401InGooglesErrorShape() {
        ProxyClient.Reply r = post(GENERATE + "?key=not-a-gateway-key", Map.of(), BODY);

        assertThat(r.status()).isEqualTo(401);
        assertThat(Json.read(r.text(), JsonNode.class).path("error").path("status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(r.text()).doesNotContain("not-a-gateway-key");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void anUndecodableKeyParameterIsA401NotAServerError() throws Exception {
        // java.net.URI refuses "%zz", so the request is written by hand
        java.net.URI proxyUri = java.net.URI.create(gw.proxyUrl());
        try (java.net.Socket socket = new java.net.Socket(proxyUri.getHost(), proxyUri.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "POST " + PREFIX + GENERATE + "?key=%zz HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY;
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 401");
        }
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void theGatewayKeyInTheQueryOfANonGeminiPathIsRefusedAndNeverForwarded() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, "{}"));

        ProxyClient.Reply r = proxy.send("POST", "/api/providers/openai/v1/chat/completions?key=gw-gemini", Map.of("Content-Type", "application/json"),
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8));

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.text()).contains("api key not found");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void googApiKeyIsAcceptedOnEveryPathButNeverForwarded() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200,
                "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}"));

        ProxyClient.Reply r = proxy.send("POST", "/api/providers/openai/v1/chat/completions",
                Map.of("Content-Type", "application/json", "x-goog-api-key", "gw-gemini"),
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8));

        assertThat(r.status()).isEqualTo(200);
        assertThat(upstream.last().header("x-goog-api-key")).isNull();
        assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer openai-provider-key");
    }
}
