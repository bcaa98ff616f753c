package io.bricksllm.telemetry.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway exporting to a real OTLP/HTTP receiver: span tree, attributes, and the caller's trace context continued
 * and handed to the upstream, for a plain, a streamed, a refused and a failed-over request.
 */
class TracingE2ETest {
    static final String CHAT = "/v1/chat/completions";
    static final String PROXY_CHAT = "/api/providers/openai/v1/chat/completions";
    static final String AZURE_PATH = "/openai/deployments/dep1/chat/completions";
    static final String BEDROCK_MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0";
    static final io.bricksllm.unified.BedrockApi.Credentials AWS = new io.bricksllm.unified.BedrockApi.Credentials(
            "AKIDE2EEXAMPLE", "e2e/secret+KEY", "eu-west-1", java.util.Optional.empty());
    static OtlpReceiver receiver;
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String keyId;
    static String routeKeyId;

    @BeforeAll
    static void start() {
        receiver = new OtlpReceiver();
        upstream = new MockUpstream();
        gw = TestGateway.start(Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_BSP_SCHEDULE_DELAY", "50",
                "OTEL_TRACES_SAMPLER", "parentbased_always_on"));
        proxy = new ProxyClient(gw.proxyUrl());
        String openai = gw.admin.createSetting("openai", Map.of("apikey", "sk-openai", "url", upstream.url("/v1")));
        String azure = gw.admin.createSetting("azure", Map.of("apikey", "sk-azure", "url", upstream.url("")));
        keyId = gw.admin.createKey("{\"name\":\"t\",\"key\":\"trace-key\",\"settingIds\":[\"" + openai + "\"]}")
                .get("keyId").asText();
        routeKeyId = gw.admin.createKey("{\"name\":\"r\",\"key\":\"route-key\",\"settingIds\":[\"" + openai + "\",\"" + azure + "\"]}")
                .get("keyId").asText();
        String bedrock = gw.admin.createSetting("bedrock", Map.of("awsAccessKeyId", AWS.accessKeyId(), "awsSecretAccessKey",
                AWS.secretAccessKey(), "awsRegion", AWS.region(), "url", upstream.url("")));
        gw.admin.createKey("{\"name\":\"b\",\"key\":\"bedrock-key\",\"settingIds\":[\"" + bedrock + "\"]}");
        gw.admin.createKey("{\"name\":\"limited\",\"key\":\"limited-key\",\"settingIds\":[\"" + openai + "\"],"
                + "\"rateLimitOverTime\":1,\"rateLimitUnit\":\"h\"}");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
        receiver.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    /** A caller's W3C context: trace id and its own span id. */
    record CallerContext(String traceId, String spanId) {
        static CallerContext random() {
            HexFormat hex = HexFormat.of();
            byte[] t = new byte[16];
            byte[] s = new byte[8];
            ThreadLocalRandom.current().nextBytes(t);
            ThreadLocalRandom.current().nextBytes(s);
            t[0] |= 1; // never all zero (invalid)
            s[0] |= 1;
            return new CallerContext(hex.formatHex(t), hex.formatHex(s));
        }

        String traceparent() {
            return "00-" + traceId + "-" + spanId + "-01";
        }
    }

    static ProxyClient.Reply post(String path, String key, String body, CallerContext caller) {
        return proxy.send("POST", path, Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json",
                "traceparent", caller.traceparent(), "tracestate", "caller=1"), body.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until the trace has {@code count} spans (the exporter batches every 50 ms). */
    static List<OtlpReceiver.ReceivedSpan> awaitTrace(String traceId, int count) {
        Poll.until(Duration.ofSeconds(10), count + " spans of trace " + traceId, () -> receiver.trace(traceId).size() >= count);
        return receiver.trace(traceId);
    }

    static OtlpReceiver.ReceivedSpan only(List<OtlpReceiver.ReceivedSpan> spans, String kind) {
        List<OtlpReceiver.ReceivedSpan> of = spans.stream().filter(s -> s.kind().equals("SPAN_KIND_" + kind)).toList();
        assertThat(of).as(kind + " spans").hasSize(1);
        return of.get(0);
    }

    @Test
    void aPlainRequestHasAServerSpanUnderTheCallersAndAClientSpanWhoseContextReachesTheUpstream() {
        upstream.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini-2024-07-18", "secret answer", 12, 7)));
        CallerContext caller = CallerContext.random();
        ProxyClient.Reply r = post(PROXY_CHAT, "trace-key", "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"secret prompt\"}]}", caller);
        assertThat(r.status()).as(r.text()).isEqualTo(200);

        List<OtlpReceiver.ReceivedSpan> spans = awaitTrace(caller.traceId(), 2);
        assertThat(spans).hasSize(2);
        OtlpReceiver.ReceivedSpan server = only(spans, "SERVER");
        OtlpReceiver.ReceivedSpan client = only(spans, "CLIENT");
        assertThat(server.parentSpanId()).isEqualTo(caller.spanId());
        assertThat(client.parentSpanId()).isEqualTo(server.spanId());
        assertThat(server.resource()).containsEntry("service.name", "bricksllm");
        assertThat(receiver.contentTypes()).allMatch("application/x-protobuf"::equals); // OTLP/HTTP protobuf, not gRPC

        assertThat(server.name()).isEqualTo("POST " + PROXY_CHAT);
        assertThat(server.attributes())
                .containsEntry("http.request.method", "POST")
                .containsEntry("http.route", PROXY_CHAT)
                .containsEntry("url.path", PROXY_CHAT)
                .containsEntry("http.response.status_code", 200L)
                .containsEntry("gen_ai.provider.name", "openai")
                .containsEntry("gen_ai.system", "openai")
                .containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gen_ai.request.model", "gpt-4o-mini")
                .containsEntry("gen_ai.response.model", "gpt-4o-mini") // as metered and priced (a dated name reads as its model)
                .containsEntry("gen_ai.usage.input_tokens", 12L)
                .containsEntry("gen_ai.usage.output_tokens", 7L)
                .containsEntry("bricksllm.key_id", keyId)
                .containsEntry("bricksllm.cache_hit", false)
                .doesNotContainKey("bricksllm.refusal_reason");
        assertThat((Double) server.attr("bricksllm.cost_usd")).isPositive();
        assertThat(server.status()).isEqualTo("STATUS_CODE_UNSET");

        assertThat(client.name()).isEqualTo("chat gpt-4o-mini");
        assertThat(client.attributes())
                .containsEntry("http.request.method", "POST")
                .containsEntry("server.address", "127.0.0.1")
                .containsEntry("server.port", (long) upstream.port())
                .containsEntry("url.full", upstream.url("/v1/chat/completions"))
                .containsEntry("http.response.status_code", 200L)
                .containsEntry("gen_ai.usage.input_tokens", 12L)
                .containsEntry("gen_ai.usage.output_tokens", 7L);

        assertThat(r.headers().firstValue("x-bricksllm-cost-usd")).as("RESPONSE_COST_HEADERS is off by default").isEmpty();
        // the upstream saw the client span as its parent, and the caller's tracestate carried along
        assertThat(upstream.last().header("traceparent")).isEqualTo("00-" + caller.traceId() + "-" + client.spanId() + "-01");
        assertThat(upstream.last().header("tracestate")).isEqualTo("caller=1");

        // prompts and completions never go on spans
        for (OtlpReceiver.ReceivedSpan s : spans) {
            assertThat(s.attributes().values().toString()).doesNotContain("secret prompt").doesNotContain("secret answer");
        }
    }

    @Test
    void aStreamedRequestsServerSpanEndsWithTheStreamAndCarriesItsUsage() {
        upstream.on("POST", CHAT, MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o-mini", List.of("a", "b", "c"), 9, 3, true))
                .withGap(Duration.ofMillis(20)));
        CallerContext caller = CallerContext.random();
        ProxyClient.Reply r = post(PROXY_CHAT, "trace-key", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", caller);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.text()).contains("[DONE]");

        List<OtlpReceiver.ReceivedSpan> spans = awaitTrace(caller.traceId(), 2);
        OtlpReceiver.ReceivedSpan server = only(spans, "SERVER");
        OtlpReceiver.ReceivedSpan client = only(spans, "CLIENT");
        assertThat(client.parentSpanId()).isEqualTo(server.spanId());
        assertThat(server.attributes())
                .containsEntry("gen_ai.request.stream", true)
                .containsEntry("gen_ai.usage.input_tokens", 9L)
                .containsEntry("gen_ai.usage.output_tokens", 3L)
                .containsEntry("http.response.status_code", 200L);
        assertThat(upstream.last().header("traceparent")).isEqualTo("00-" + caller.traceId() + "-" + client.spanId() + "-01");
    }

    @Test
    void aRefusedRequestHasOnlyAServerSpanWithTheRefusalReason() {
        upstream.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1, 1)));
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(post(PROXY_CHAT, "limited-key", body, CallerContext.random()).status()).isEqualTo(200);
        CallerContext caller = CallerContext.random();
        ProxyClient.Reply refused = post(PROXY_CHAT, "limited-key", body, caller);
        assertThat(refused.status()).isEqualTo(429);

        List<OtlpReceiver.ReceivedSpan> spans = awaitTrace(caller.traceId(), 1);
        Poll.pause(200); // a client span, if one were wrongly made, would be in the same or the next batch
        spans = receiver.trace(caller.traceId());
        assertThat(spans).hasSize(1);
        OtlpReceiver.ReceivedSpan server = only(spans, "SERVER");
        assertThat(server.parentSpanId()).isEqualTo(caller.spanId());
        assertThat(server.attributes())
                .containsEntry("bricksllm.refusal_reason", "rate_limited")
                .containsEntry("http.response.status_code", 429L);
        // HTTP conventions: a 4xx is not an error of the server span
        assertThat(server.status()).isEqualTo("STATUS_CODE_UNSET");
    }

    @Test
    void aFailedOverRouteHasOneClientSpanPerAttempt() {
        upstream.on("POST", CHAT, MockUpstream.Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
        upstream.on("POST", AZURE_PATH, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o", "from azure", 10, 5)));
        String steps = "{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"retries\":0,\"timeout\":\"5s\"},"
                + "{\"provider\":\"azure\",\"model\":\"gpt-4o\",\"retries\":0,\"timeout\":\"5s\","
                + "\"params\":{\"deploymentId\":\"dep1\",\"apiVersion\":\"2024-10-21\"}}";
        AdminClient.Reply created = gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"/failover\",\"keyIds\":[\"" + routeKeyId + "\"],"
                + "\"steps\":[" + steps + "],\"cacheConfig\":{\"enabled\":false}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        CallerContext caller = CallerContext.random();
        ProxyClient.Reply r = post("/api/routes/failover", "route-key",
                "{\"model\":\"whatever\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", caller);
        assertThat(r.status()).as(r.text()).isEqualTo(200);

        List<OtlpReceiver.ReceivedSpan> spans = awaitTrace(caller.traceId(), 3);
        assertThat(spans).hasSize(3);
        OtlpReceiver.ReceivedSpan server = only(spans, "SERVER");
        List<OtlpReceiver.ReceivedSpan> clients = spans.stream().filter(s -> s.kind().equals("SPAN_KIND_CLIENT")).toList();
        assertThat(clients).hasSize(2).allSatisfy(c -> assertThat(c.parentSpanId()).isEqualTo(server.spanId()));
        OtlpReceiver.ReceivedSpan failed = clients.stream().filter(c -> "openai".equals(c.attr("gen_ai.provider.name"))).findFirst().orElseThrow();
        OtlpReceiver.ReceivedSpan answered = clients.stream().filter(c -> "azure.ai.openai".equals(c.attr("gen_ai.provider.name"))).findFirst().orElseThrow();
        assertThat(failed.attributes()).containsEntry("http.response.status_code", 500L).containsEntry("error.type", "500")
                .containsEntry("gen_ai.request.model", "gpt-4o-mini");
        assertThat(failed.status()).isEqualTo("STATUS_CODE_ERROR");
        assertThat(answered.attributes()).containsEntry("http.response.status_code", 200L).containsEntry("gen_ai.request.model", "gpt-4o");
        assertThat(answered.status()).isEqualTo("STATUS_CODE_UNSET");
        assertThat(server.attributes()).containsEntry("bricksllm.answered_by", "azure").containsKey("bricksllm.route_id");
        // each attempt carried its own span as the upstream's parent
        List<String> sent = upstream.received().stream().map(q -> q.header("traceparent")).toList();
        assertThat(sent).containsExactlyInAnyOrder("00-" + caller.traceId() + "-" + failed.spanId() + "-01",
                "00-" + caller.traceId() + "-" + answered.spanId() + "-01");
    }

    @Test
    void aStreamTheCallerLeavesEndsItsSpansWhenItLeaves() throws Exception {
        List<String> words = java.util.Collections.nCopies(50, "w");
        upstream.on("POST", CHAT, MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o-mini", words, 9, 50, true))
                .withGap(Duration.ofMillis(100)));
        CallerContext caller = CallerContext.random();
        java.net.URI u = java.net.URI.create(gw.proxyUrl());
        byte[] body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + PROXY_CHAT + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer trace-key\r\n"
                    + "Content-Type: application/json\r\ntraceparent: " + caller.traceparent() + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.contains("data:")) break; // the stream has started: now the caller leaves
            }
        }
        List<OtlpReceiver.ReceivedSpan> spans = awaitTrace(caller.traceId(), 2);
        OtlpReceiver.ReceivedSpan server = only(spans, "SERVER");
        OtlpReceiver.ReceivedSpan client = only(spans, "CLIENT");
        assertThat(client.parentSpanId()).isEqualTo(server.spanId());
        assertThat(server.attributes()).containsEntry("bricksllm.client_aborted", true).containsEntry("http.response.status_code", 200L);
        assertThat(client.attributes()).containsEntry("bricksllm.client_aborted", true);
    }

    /** parentbased sampling follows a caller that did not sample: nothing exported, the decision passed on upstream. */
    @Test
    void aCallersDecisionNotToSampleIsFollowedAndPassedOn() {
        upstream.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1, 1)));
        CallerContext caller = CallerContext.random();
        ProxyClient.Reply r = proxy.send("POST", PROXY_CHAT, Map.of("Authorization", "Bearer trace-key", "Content-Type", "application/json",
                "traceparent", "00-" + caller.traceId() + "-" + caller.spanId() + "-00"),
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(200);
        String sent = upstream.last().header("traceparent");
        assertThat(sent).startsWith("00-" + caller.traceId() + "-").endsWith("-00").doesNotContain(caller.spanId());
        // a sampled request sent after it is exported; the unsampled one never is
        CallerContext later = CallerContext.random();
        assertThat(post(PROXY_CHAT, "trace-key", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}", later).status()).isEqualTo(200);
        awaitTrace(later.traceId(), 2);
        assertThat(receiver.trace(caller.traceId())).isEmpty();
    }

    @Test
    void aCachedRouteAnswerHasAServerSpanMarkedAsACacheHitAndNoClientSpan() {
        upstream.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "cached answer", 4, 2)));
        AdminClient.Reply created = gw.admin.post("/api/routes", "{\"name\":\"c\",\"path\":\"/cached\",\"keyIds\":[\"" + routeKeyId + "\"],"
                + "\"steps\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"retries\":0,\"timeout\":\"5s\"}],"
                + "\"cacheConfig\":{\"enabled\":true,\"ttl\":\"10m\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String body = "{\"model\":\"whatever\",\"messages\":[{\"role\":\"user\",\"content\":\"same question\"}]}";
        CallerContext first = CallerContext.random();
        assertThat(post("/api/routes/cached", "route-key", body, first).status()).isEqualTo(200);
        assertThat(only(awaitTrace(first.traceId(), 2), "SERVER").attributes()).containsEntry("bricksllm.cache_hit", false);
        Poll.until(Duration.ofSeconds(5), "the answer cached", () -> {
            CallerContext probe = CallerContext.random();
            ProxyClient.Reply r = post("/api/routes/cached", "route-key", body, probe);
            return r.headers().firstValue("X-BricksLLM-Cache").isPresent();
        });
        CallerContext hit = CallerContext.random();
        ProxyClient.Reply r = post("/api/routes/cached", "route-key", body, hit);
        assertThat(r.headers().firstValue("X-BricksLLM-Cache")).hasValue("hit");
        OtlpReceiver.ReceivedSpan server = only(awaitTrace(hit.traceId(), 1), "SERVER");
        assertThat(server.attributes()).containsEntry("bricksllm.cache_hit", true).containsEntry("bricksllm.answered_by", "cached");
        Poll.pause(200); // a client span, if one were wrongly made, would be in the same or the next batch
        assertThat(receiver.trace(hit.traceId())).hasSize(1);
    }

    /** Bedrock signs every header it is sent: the traceparent is set before signing, so the strict mock accepts it. */
    @Test
    void aSignedBedrockRequestCarriesItsTraceparentInsideTheSignature() {
        upstream.on("POST", io.bricksllm.unified.BedrockApi.converse(BEDROCK_MODEL), io.bricksllm.unified.BedrockApi.converse(AWS,
                body -> MockUpstream.Reply.json(200, io.bricksllm.unified.BedrockApi.textAnswer("hello", 5, 2))));
        CallerContext caller = CallerContext.random();
        ProxyClient.Reply r = post("/v1/chat/completions", "bedrock-key",
                "{\"model\":\"bedrock/" + BEDROCK_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", caller);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        OtlpReceiver.ReceivedSpan client = only(awaitTrace(caller.traceId(), 2), "CLIENT");
        assertThat(client.attributes()).containsEntry("gen_ai.provider.name", "aws.bedrock").containsEntry("http.response.status_code", 200L);
        assertThat(upstream.last().header("traceparent")).isEqualTo("00-" + caller.traceId() + "-" + client.spanId() + "-01");
        assertThat(upstream.last().header("Authorization")).contains("traceparent");
    }
}
