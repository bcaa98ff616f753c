package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.CostCalculator;
import io.bricksllm.metering.CostOverride;
import io.bricksllm.metering.PriceBook;
import io.bricksllm.metering.PriceKind;
import io.bricksllm.metering.Usage;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The original's native Bedrock paths through the official anthropic-java SDK: Anthropic's Messages API in,
 * Bedrock InvokeModel (SigV4-signed, checked by the mock with the AWS SDK's own signer) out, Anthropic's JSON, events
 * and errors back, metered with Bedrock's prices.
 */
class BedrockNativeProxyTest {
    static final String SONNET = "anthropic.claude-3-5-sonnet-20241022-v2:0";
    static final String HAIKU_CROSS_REGION = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
    static final String CLAUDE_V2 = "anthropic.claude-v2:1";
    static final String ACCESS_KEY = "AKIDEXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String REGION = "us-east-1";

    static MockUpstream upstream;
    static TestGateway gw;
    static String keyId;
    static final PriceBook PRICES = PriceBook.load(Optional.empty());

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("bedrock", Map.of("awsAccessKeyId", ACCESS_KEY, "awsSecretAccessKey", SECRET_KEY,
                "awsRegion", REGION, "url", upstream.url("")));
        keyId = gw.admin.createKey("{\"name\":\"bedrock\",\"key\":\"gw-bedrock\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
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

    static AnthropicClient sdk() {
        return AnthropicOkHttpClient.builder().apiKey("gw-bedrock").baseUrl(gw.proxyUrl() + "/api/providers/bedrock/anthropic")
                .maxRetries(0).build();
    }

    static MessageCreateParams params(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(256).system("Be brief.")
                .putAdditionalBodyProperty("metadata", com.anthropic.core.JsonValue.from(Map.of("user_id", "u-1", "other", "x")))
                .addUserMessage("Hello").build();
    }

    /** {@code /model/<id>/<op>} with the id as one percent-encoded segment, as the mock receives it. */
    static String path(String model, String operation) {
        return "/model/" + java.net.URLEncoder.encode(model, StandardCharsets.UTF_8) + "/" + operation;
    }

    /** The cost the price book gives Bedrock's usage, which the event must show. */
    static double priced(String model, long input, long output) {
        return new CostCalculator(PRICES).cost("aws", model, Usage.of(input, output), CostOverride.NONE, PriceKind.CHAT).usd().doubleValue();
    }

    /** The event of the call of {@code model} that produced {@code completion} tokens (tests share the key). */
    static JsonNode event(String model, long completion) {
        return Events.awaitMatching(gw.admin, keyId, e -> e.path("model").asText().equals(model)
                && e.path("completion_token_count").asLong() == completion, 1).get(0);
    }

    @Test
    void messagesReachInvokeModelSignedAndAnswerAsAnthropicJsonMeteredWithBedrockPrices() {
        upstream.on("POST", path(SONNET, "invoke"), signed(r -> reply(200, "application/json",
                Fixtures.anthropicMessage("claude-3-5-sonnet-20241022", "Hi from Bedrock!", 10, 5, 0, 0).getBytes(StandardCharsets.UTF_8))));
        Message m = sdk().messages().create(params(SONNET));

        assertThat(m.content().get(0).text().orElseThrow().text()).isEqualTo("Hi from Bedrock!");
        assertThat(m.usage().inputTokens()).isEqualTo(10);
        MockUpstream.Received r = upstream.last();
        JsonNode sent = Json.MAPPER.valueToTree(Json.read(r.bodyText(), Map.class));
        assertThat(sent.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(sent.has("model")).isFalse();
        assertThat(sent.has("stream")).isFalse();
        assertThat(sent.path("system").asText()).isEqualTo("Be brief.");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(sent.path("metadata").toString()).isEqualTo("{\"user_id\":\"u-1\"}");
        assertThat(r.header("x-api-key")).isNull();
        assertThat(r.bodyText()).doesNotContain("gw-bedrock");

        JsonNode e = event(SONNET, 5);
        assertThat(e.path("provider").asText()).isEqualTo("bedrock");
        assertThat(e.path("prompt_token_count").asLong()).isEqualTo(10);
        assertThat(e.path("completion_token_count").asLong()).isEqualTo(5);
        assertThat(e.path("cost_in_usd").asDouble()).isGreaterThan(0).isCloseTo(priced(SONNET, 10, 5), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(e.path("userId").asText()).isEqualTo("u-1"); // Anthropic's metadata.user_id names the end user here too
    }

    @Test
    void streamsBecomeAnthropicEventsAndAreMeteredFromTheStream() {
        List<String> events = claudeStream("claude-3-5-haiku-20241022", List.of("Hel", "lo"), 12, 7);
        upstream.on("POST", path(HAIKU_CROSS_REGION, "invoke-with-response-stream"), signed(r ->
                reply(200, "application/vnd.amazon.eventstream", frames(events, null))));
        StringBuilder text = new StringBuilder();
        List<String> types = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk().messages().createStreaming(params(HAIKU_CROSS_REGION))) {
            stream.stream().forEach(ev -> {
                if (ev.isMessageStart()) types.add("message_start");
                if (ev.isMessageStop()) types.add("message_stop");
                if (ev.isContentBlockDelta()) text.append(ev.asContentBlockDelta().delta().text().map(t -> t.text()).orElse(""));
            });
        }
        assertThat(text).hasToString("Hello");
        assertThat(types).containsExactly("message_start", "message_stop");
        JsonNode sent = Json.MAPPER.valueToTree(Json.read(upstream.last().bodyText(), Map.class));
        assertThat(sent.has("stream")).isFalse();
        assertThat(upstream.last().header("Accept")).isEqualTo("application/vnd.amazon.eventstream");

        JsonNode e = event(HAIKU_CROSS_REGION, 7);
        assertThat(e.path("provider").asText()).isEqualTo("bedrock");
        assertThat(e.path("prompt_token_count").asLong()).isEqualTo(12);
        assertThat(e.path("completion_token_count").asLong()).isEqualTo(7);
        assertThat(e.path("cost_in_usd").asDouble()).isGreaterThan(0)
                .isCloseTo(priced(HAIKU_CROSS_REGION, 12, 7), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void streamWireIsServerSentEventsNamedByType() {
        List<String> events = claudeStream("claude-3-5-sonnet-20241022", List.of("a"), 3, 2);
        upstream.on("POST", path(SONNET, "invoke-with-response-stream"), reply(200, "application/vnd.amazon.eventstream", frames(events, null)));
        ProxyClient.Reply r = new ProxyClient(gw.proxyUrl()).send("POST", "/api/providers/bedrock/anthropic/v1/messages",
                Map.of("x-api-key", "gw-bedrock", "Content-Type", "application/json", "anthropic-version", "2023-06-01"),
                ("{\"model\":\"" + SONNET + "\",\"stream\":true,\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.text()).startsWith("event: message_start\ndata: {\"type\":\"message_start\"")
                .contains("event: content_block_delta\ndata: ").contains("\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"")
                .endsWith("}\n\n");
        // the SDK's anthropic-version is Anthropic's API version, which Bedrock refuses in the body
        assertThat(upstream.last().bodyText()).contains("\"anthropic_version\":\"bedrock-2023-05-31\"");
    }

    @Test
    void eachEventReachesTheCallerBeforeBedrockSendsTheNext() throws Exception {
        byte[] first = frames(claudeStream("claude-3-5-sonnet-20241022", List.of("a"), 3, 2).subList(0, 1), null);
        byte[] rest = frames(claudeStream("claude-3-5-sonnet-20241022", List.of("a"), 3, 2).subList(1, 6), null);
        java.util.concurrent.atomic.AtomicBoolean callerSawFirst = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean restSent = new java.util.concurrent.atomic.AtomicBoolean();
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            // Bedrock sends the first frame, then holds the rest until the caller has read the first event (5 s at most)
            io.vertx.core.http.HttpServer slow = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
                req.response().setChunked(true).putHeader("Content-Type", "application/vnd.amazon.eventstream").write(Buffer.buffer(first));
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                vertx.setPeriodic(5, id -> {
                    if (!callerSawFirst.get() && System.nanoTime() < deadline) return;
                    vertx.cancelTimer(id);
                    restSent.set(true);
                    req.response().end(Buffer.buffer(rest));
                });
            })).listen(0, "127.0.0.1").await();
            String s = gw.admin.createSetting("bedrock", Map.of("awsAccessKeyId", ACCESS_KEY, "awsSecretAccessKey", SECRET_KEY,
                    "awsRegion", REGION, "url", "http://127.0.0.1:" + slow.actualPort()));
            gw.admin.createKey("{\"name\":\"slow\",\"key\":\"gw-bedrock-slow\",\"settingIds\":[\"" + s + "\"]}");
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(gw.proxyUrl() + "/api/providers/bedrock/anthropic/v1/messages"))
                    .header("x-api-key", "gw-bedrock-slow").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"" + SONNET
                            + "\",\"stream\":true,\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build();
            var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
            var lines = response.body().iterator();
            assertThat(lines.next()).isEqualTo("event: message_start");
            assertThat(restSent).as("the first event arrived while Bedrock still held the rest").isFalse();
            callerSawFirst.set(true);
            List<String> remaining = new ArrayList<>();
            lines.forEachRemaining(remaining::add);
            assertThat(remaining).contains("event: message_stop");
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void aStreamExceptionBecomesAnAnthropicErrorEvent() {
        List<String> events = claudeStream("claude-3-5-sonnet-20241022", List.of("a"), 3, 2).subList(0, 2);
        upstream.on("POST", path(SONNET, "invoke-with-response-stream"), reply(200, "application/vnd.amazon.eventstream",
                frames(events, "throttlingException")));
        ProxyClient.Reply r = new ProxyClient(gw.proxyUrl()).send("POST", "/api/providers/bedrock/anthropic/v1/messages",
                Map.of("x-api-key", "gw-bedrock", "Content-Type", "application/json"),
                ("{\"model\":\"" + SONNET + "\",\"stream\":true,\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes());
        assertThat(r.text()).contains("event: message_start")
                .endsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Too many requests\"}}\n\n");
    }

    @Test
    void completeIsSentAsTextCompletionAndMeteredFromBedrocksTokenHeaders() {
        String answer = "{\"completion\":\" Hello there\",\"stop_reason\":\"stop_sequence\",\"stop\":\"\\n\\nHuman:\"}";
        upstream.on("POST", path(CLAUDE_V2, "invoke"), signed(r -> new MockUpstream.Reply(200,
                Map.of("Content-Type", "application/json", "x-amzn-RequestId", "req-42", "X-Amzn-Bedrock-Input-Token-Count", "14",
                        "X-Amzn-Bedrock-Output-Token-Count", "3"),
                Buffer.buffer(answer), null, Duration.ZERO, Duration.ZERO, false, -1)));
        String body = "{\"model\":\"" + CLAUDE_V2 + "\",\"prompt\":\"\\n\\nHuman: Hi\\n\\nAssistant:\",\"max_tokens_to_sample\":20,"
                + "\"stop_sequences\":[\"\\n\\nHuman:\"],\"temperature\":0.5,\"metadata\":{\"user_id\":\"u\"}}";
        ProxyClient.Reply r = new ProxyClient(gw.proxyUrl()).send("POST", "/api/providers/bedrock/anthropic/v1/complete",
                Map.of("x-api-key", "gw-bedrock", "Content-Type", "application/json"), body.getBytes());

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode out = Json.MAPPER.valueToTree(Json.read(r.text(), Map.class));
        assertThat(out.path("type").asText()).isEqualTo("completion");
        assertThat(out.path("completion").asText()).isEqualTo(" Hello there");
        assertThat(out.path("id").asText()).isEqualTo("req-42");
        assertThat(out.path("model").asText()).isEqualTo(CLAUDE_V2);
        JsonNode sent = Json.MAPPER.valueToTree(Json.read(upstream.last().bodyText(), Map.class));
        assertThat(sent.has("model")).isFalse();
        assertThat(sent.has("metadata")).isFalse();
        assertThat(sent.path("max_tokens_to_sample").asInt()).isEqualTo(20);
        assertThat(sent.path("prompt").asText()).startsWith("\n\nHuman: Hi");

        JsonNode e = event(CLAUDE_V2, 3);
        assertThat(e.path("prompt_token_count").asLong()).isEqualTo(14);
        assertThat(e.path("completion_token_count").asLong()).isEqualTo(3);
        // aws lists no claude-v2: Anthropic's price for claude-2 applies
        assertThat(e.path("cost_in_usd").asDouble()).isGreaterThan(0).isCloseTo(priced(CLAUDE_V2, 14, 3), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void upstreamValidationErrorIsAnthropicShapedWithItsStatus() {
        upstream.on("POST", path(SONNET, "invoke"), new MockUpstream.Reply(400,
                Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
                Buffer.buffer("{\"message\":\"max_tokens: Field required\"}"), null, Duration.ZERO, Duration.ZERO, false, -1));
        assertThatThrownBy(() -> sdk().messages().create(params(SONNET)))
                .isInstanceOfSatisfying(BadRequestException.class, ex -> {
                    assertThat(ex.statusCode()).isEqualTo(400);
                    assertThat(ex.getMessage()).contains("max_tokens: Field required");
                });
        ProxyClient.Reply raw = new ProxyClient(gw.proxyUrl()).send("POST", "/api/providers/bedrock/anthropic/v1/messages",
                Map.of("x-api-key", "gw-bedrock", "Content-Type", "application/json"),
                ("{\"model\":\"" + SONNET + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes());
        assertThat(raw.status()).isEqualTo(400);
        assertThat(raw.text()).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: Field required\"}}");
        assertThat(raw.headers().firstValue("x-amzn-ErrorType")).isEmpty();
    }

    @Test
    void refusalsAreAnthropicShapedAndReachNoUpstream() {
        ProxyClient client = new ProxyClient(gw.proxyUrl());
        ProxyClient.Reply noModel = client.send("POST", "/api/providers/bedrock/anthropic/v1/messages",
                Map.of("x-api-key", "gw-bedrock", "Content-Type", "application/json"), "{\"max_tokens\":5,\"messages\":[]}".getBytes());
        assertThat(noModel.status()).isEqualTo(400);
        assertThat(noModel.text()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"").contains("model");
        ProxyClient.Reply badKey = client.send("POST", "/api/providers/bedrock/anthropic/v1/messages",
                Map.of("x-api-key", "nope", "Content-Type", "application/json"), ("{\"model\":\"" + SONNET + "\"}").getBytes());
        assertThat(badKey.status()).isEqualTo(401);
        assertThat(badKey.text()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void aSettingWithoutTheKeyPairHasMissingCredentials() {
        var bedrock = io.bricksllm.provider.Providers.defaults().get("bedrock").orElseThrow();
        assertThat(bedrock.credentialsMissing(new io.bricksllm.store.ProviderSetting("s", 0, 0, "bedrock",
                Map.of("awsAccessKeyId", "", "awsSecretAccessKey", "x", "awsRegion", REGION), "", List.of(), null))).isTrue();
        assertThat(bedrock.credentialsMissing(new io.bricksllm.store.ProviderSetting("s", 0, 0, "bedrock",
                Map.of("awsAccessKeyId", ACCESS_KEY, "awsSecretAccessKey", SECRET_KEY, "awsRegion", REGION), "", List.of(), null))).isFalse();
    }

    // --- the mock's side: SigV4 recomputed with the AWS SDK's signer, and real event-stream frames

    static MockUpstream.Reply reply(int status, String contentType, byte[] body) {
        return new MockUpstream.Reply(status, Map.of("Content-Type", contentType, "x-amzn-RequestId", "req-1"), Buffer.buffer(body),
                null, Duration.ZERO, Duration.ZERO, false, -1);
    }

    /** Answers with {@code ok} only when the request's signature is the one the AWS SDK computes for it; else a 403. */
    static java.util.function.Function<MockUpstream.Received, MockUpstream.Reply> signed(
            java.util.function.Function<MockUpstream.Received, MockUpstream.Reply> ok) {
        return r -> {
            String expected = recomputedAuthorization(r);
            String actual = r.header("Authorization");
            if (actual == null || !actual.equals(expected)) {
                return MockUpstream.Reply.json(403, "{\"message\":\"signature mismatch: expected " + expected + " got " + actual + "\"}");
            }
            return ok.apply(r);
        };
    }

    static String recomputedAuthorization(MockUpstream.Received r) {
        String auth = r.header("Authorization");
        if (auth == null) return "<none>";
        String signedHeaders = auth.replaceAll(".*SignedHeaders=([^,]+).*", "$1");
        String amzDate = r.header("X-Amz-Date");
        Instant at = Instant.from(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC).parse(amzDate));
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(r.method()))
                .uri(URI.create(upstream.url(r.path())));
        for (String name : signedHeaders.split(";")) {
            if (name.equals("x-amz-date")) continue; // the signer writes it from its clock
            request.putHeader(name, r.header(name));
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(s -> s.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(r.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        return signed.firstMatchingHeader("Authorization").orElse("<unsigned>");
    }

    /** Claude's stream events as Bedrock carries them; the last holds Bedrock's invocation metrics. */
    static List<String> claudeStream(String model, List<String> words, long input, long output) {
        List<String> out = new ArrayList<>();
        for (String sse : Fixtures.anthropicStream(model, words, input, output)) {
            String data = sse.substring(sse.indexOf("data: ") + 6);
            if (data.contains("\"type\":\"ping\"")) continue;
            if (data.contains("\"message_stop\"")) {
                data = "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":" + input
                        + ",\"outputTokenCount\":" + output + ",\"invocationLatency\":120,\"firstByteLatency\":40}}";
            }
            out.add(data);
        }
        return out;
    }

    /** InvokeModelWithResponseStream's body: one {@code chunk} frame per event, then an exception frame if named. */
    static byte[] frames(List<String> events, String exception) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String event : events) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            headers.put(":message-type", HeaderValue.fromString("event"));
            headers.put(":event-type", HeaderValue.fromString("chunk"));
            headers.put(":content-type", HeaderValue.fromString("application/json"));
            String payload = "{\"bytes\":\"" + Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8)) + "\",\"p\":\"abcd\"}";
            new software.amazon.awssdk.eventstream.Message(headers, payload.getBytes(StandardCharsets.UTF_8)).encode(out);
        }
        if (exception != null) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            headers.put(":message-type", HeaderValue.fromString("exception"));
            headers.put(":exception-type", HeaderValue.fromString(exception));
            headers.put(":content-type", HeaderValue.fromString("application/json"));
            new software.amazon.awssdk.eventstream.Message(headers, "{\"message\":\"Too many requests\"}".getBytes(StandardCharsets.UTF_8)).encode(out);
        }
        return out.toByteArray();
    }
}
