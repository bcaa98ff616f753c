package io.bricksllm.telemetry;

import static io.bricksllm.telemetry.PrometheusText.labels;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The whole gateway: a proxied chat completion and a refusal show up on the admin port's {@code /metrics} and as
 * DogStatsD lines. Fails (never skips) when {@code io.bricksllm.Gateway} does not register {@link MetricsResource}.
 */
class GatewayMetricsTest {
    private static final String CHAT = "/api/providers/openai/v1/chat/completions";

    @Test
    void aProxiedRequestIsScrapedAndSentToStatsd() throws Exception {
        try (StatsdLines statsd = new StatsdLines(); MockUpstream upstream = new MockUpstream()) {
            TestGateway gw = TestGateway.start(Map.of("TELEMETRY_PROVIDER", "statsd", "STATS_ADDRESS", "127.0.0.1:" + statsd.port()));
            try {
                statsd.awaitConnected(gw.gateway().meterRegistry()); // Micrometer drops lines recorded before it connects
                AdminClient.Reply first = gw.admin.get("/metrics");
                assertThat(first.status()).as("/metrics on the admin port (MetricsResource wired into Gateway)").isEqualTo(200);

                String setting = gw.admin.createSetting("openai", Map.of("apikey", "sk-provider-secret-123456", "url", upstream.url("/v1")));
                gw.admin.createKey("{\"name\":\"app\",\"key\":\"gw-secret-metrics\",\"settingIds\":[\"" + setting + "\"]}");
                upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "hi", 12, 3)));
                ProxyClient proxy = new ProxyClient(gw.proxyUrl());
                assertThat(proxy.postJson(CHAT, "gw-secret-metrics", "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").status())
                        .isEqualTo(200);
                assertThat(proxy.postJson(CHAT, "not-a-key", "{\"model\":\"gpt-4o-mini\"}").status()).isEqualTo(401);

                AdminClient.Reply scraped = gw.admin.get("/metrics");
                assertThat(scraped.status()).isEqualTo(200);
                PrometheusText t = PrometheusText.parse(scraped.body());
                assertThat(t.value("bricksllm_proxy_requests_total",
                        labels("provider", "openai", "path", CHAT, "model", "gpt-4o-mini", "status", "200"))).isEqualTo(1.0);
                assertThat(t.value("bricksllm_proxy_tokens_total", labels("provider", "openai", "model", "gpt-4o-mini", "type", "prompt"))).isEqualTo(12.0);
                assertThat(t.value("bricksllm_proxy_refusals_total", labels("provider", "openai", "path", CHAT, "reason", "unauthorized"))).isEqualTo(1.0);
                assertThat(t.value("bricksllm_events_queue_depth", Map.of())).isNotNull();
            } finally {
                gw.close(); // sends what StatsD buffered
            }
            statsd.await(Duration.ofSeconds(15), List.<Predicate<String>>of(
                    l -> l.equals("bricksllm.proxy.requests:1|c|#statistic:count,model:gpt-4o-mini,path:" + CHAT + ",provider:openai,status:200"),
                    l -> l.equals("bricksllm.proxy.tokens:12|c|#statistic:count,model:gpt-4o-mini,provider:openai,type:prompt")),
                    "the gateway's request metrics");
        }
    }

    /** Upstream time, a route's cache hits and misses, and per-key usage: recorded by the running gateway, not only by unit calls. */
    @Test
    void upstreamLatencyCacheHitsAndKeyUsageComeFromRealRequests() throws Exception {
        try (MockUpstream upstream = new MockUpstream(); TestGateway gw = TestGateway.start(Map.of())) {
            String setting = gw.admin.createSetting("openai", Map.of("apikey", "sk-provider-secret-123456", "url", upstream.url("/v1")));
            String keyId = gw.admin.createKey("{\"name\":\"app\",\"key\":\"gw-secret-cache\",\"settingIds\":[\"" + setting + "\"]}")
                    .get("keyId").asText();
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "hi", 12, 3)));
            assertThat(gw.admin.post("/api/routes", "{\"name\":\"c\",\"path\":\"/cached\",\"keyIds\":[\"" + keyId + "\"],"
                    + "\"steps\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}],\"cacheConfig\":{\"enabled\":true,\"ttl\":\"1h\"}}")
                    .status()).isEqualTo(200);
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            io.bricksllm.testing.Poll.until(Duration.ofSeconds(10), "the route serves the key", () -> proxy.postJson("/api/routes/cached", "gw-secret-cache", body).status() == 200);
            assertThat(proxy.postJson("/api/routes/cached", "gw-secret-cache", body).headers().firstValue("X-BricksLLM-Cache")).hasValue("hit");

            PrometheusText t = PrometheusText.parse(gw.admin.get("/metrics").body());
            assertThat(t.value("bricksllm_proxy_cache_misses_total", labels("route", "/cached"))).isEqualTo(1.0);
            assertThat(t.value("bricksllm_proxy_cache_hits_total", labels("route", "/cached"))).isEqualTo(1.0);
            double upstreamCalls = t.samples.stream().filter(x -> x.name().equals("bricksllm_proxy_upstream_latency_seconds_count"))
                    .mapToDouble(PrometheusText.Sample::value).sum();
            assertThat(upstreamCalls).as("one answer came from upstream, the other from the cache").isEqualTo(1.0);
            assertThat(t.value("bricksllm_key_requests_total", labels("key_id", keyId, "team_id", "none", "status_class", "2xx"))).isEqualTo(2.0);
            assertThat(t.value("bricksllm_key_tokens_total", labels("key_id", keyId, "team_id", "none", "type", "prompt"))).isEqualTo(12.0);
        }
    }
}
