package io.bricksllm.telemetry;

import static io.bricksllm.telemetry.PrometheusText.labels;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every request leaves a trace (issue 15.5): answers the gateway writes before it knows a key — an unknown path,
 * an unknown custom provider or route, an unsafe path — are logged and counted like any refusal, under a constant
 * {@code path} tag (never the path the caller sent).
 */
class UnresolvedRequestTraceTest {

    @Test
    void answersWrittenBeforeAKeyIsKnownAreLoggedAndCounted() throws Exception {
        ByteArrayOutputStream requestLog = new ByteArrayOutputStream();
        try (TestGateway gw = TestGateway.start(Map.of("MODE", "production", "TELEMETRY_PROVIDER", "prometheus"),
                Clock.systemUTC(), requestLog)) {
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            ProxyClient.Reply r = proxy.get("/api/providers/nope/x", "no-key-needed");
            assertThat(r.status()).isEqualTo(404);
            assertThat(read(r.text()).get("error").get("message").asText()).isEqualTo("[BricksLLM] route not supported");
            assertThat(proxy.send("POST", "/api/custom/providers/unknown/chat", Map.of("Content-Type", "application/json"),
                    "{}".getBytes()).status()).isEqualTo(404);
            assertThat(proxy.get("/api/providers/openai/v1/models/..", "k").status()).isEqualTo(400);

            Poll.until(Duration.ofSeconds(5), "three request log lines", () -> lines(requestLog).size() >= 3);
            List<JsonNode> lines = lines(requestLog);
            assertThat(lines).extracting(l -> l.get("status").asInt()).containsExactly(404, 404, 400);
            assertThat(lines).extracting(l -> l.get("refusal").asText()).containsExactly("not_found", "not_found", "bad_request");
            assertThat(lines).allSatisfy(l -> {
                assertThat(l.get("path").asText()).isEqualTo("unmatched");
                assertThat(l.get("keyId").asText()).isEmpty();
            });

            PrometheusText t = PrometheusText.parse(gw.admin.get("/metrics").body());
            assertThat(t.value("bricksllm_proxy_refusals_total", labels("provider", "none", "path", "unmatched", "reason", "not_found")))
                    .isEqualTo(2.0);
            assertThat(t.value("bricksllm_proxy_refusals_total", labels("provider", "none", "path", "unmatched", "reason", "bad_request")))
                    .isEqualTo(1.0);
            assertThat(t.named("bricksllm_proxy_refusals_total")).allSatisfy(s -> assertThat(s.labels().get("path")).doesNotContain("nope"));
        }
    }

    static List<JsonNode> lines(ByteArrayOutputStream log) {
        return log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).map(UnresolvedRequestTraceTest::read).toList();
    }

    static JsonNode read(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s);
        }
    }
}
