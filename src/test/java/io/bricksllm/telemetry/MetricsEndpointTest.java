package io.bricksllm.telemetry;

import static io.bricksllm.telemetry.PrometheusText.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bricksllm.admin.AdminServer;
import io.bricksllm.events.BatchingEventSink;
import io.bricksllm.proxy.Refusal;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} on the admin listener, scraped over HTTP, after synthetic finished requests. */
class MetricsEndpointTest {
    private static final String ADMIN_PASS = "admin-secret";

    private Vertx vertx;
    private HttpServer server;
    private Telemetry telemetry;
    private ProxyMetrics metrics;
    private final AtomicReference<BatchingEventSink.Stats> eventStats = new AtomicReference<>(
            new BatchingEventSink.Stats(0, 0, 0, Duration.ZERO, 0, 0, 0, 0));
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        telemetry = Telemetry.prometheusOnly();
        metrics = new ProxyMetrics(telemetry.registry());
        new EventSinkMetrics(eventStats::get).bindTo(telemetry.registry());
        AdminServer admin = new AdminServer(vertx, ADMIN_PASS, 1 << 20, List.of(new MetricsResource(telemetry)));
        server = admin.listen("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        telemetry.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (apiKey != null) b.header("X-API-KEY", apiKey);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> r = get(ADMIN_PASS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(r.body());
    }

    @Test
    void finishedRequestsAreCountedByProviderTemplateModelAndStatus() throws Exception {
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.ok(200, "gpt-4o-2024-08-06", 100, 20, 0.0125), 30);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.ok(200, "gpt-4o-2024-08-06", 50, 10, 0.0025), 700);
        metrics.finished(Requests.exchange("anthropic", Requests.MESSAGES, "claude-3-5-haiku"), Requests.unpriced("claude-3-5-haiku", 7, 3), 12);
        metrics.finished(Requests.exchange("openai", Requests.FILE, ""), Requests.ok(404, "", -1, -1, 0), 4);

        PrometheusText t = scrape();
        assertThat(t.value("bricksllm_proxy_requests_total",
                labels("provider", "openai", "path", Requests.CHAT, "model", "gpt-4o-2024-08-06", "status", "200"))).isEqualTo(2.0);
        assertThat(t.value("bricksllm_proxy_requests_total",
                labels("provider", "anthropic", "path", Requests.MESSAGES, "model", "claude-3-5-haiku", "status", "200"))).isEqualTo(1.0);
        assertThat(t.value("bricksllm_proxy_requests_total",
                labels("provider", "openai", "path", Requests.FILE, "model", "none", "status", "404"))).isEqualTo(1.0);
        assertThat(t.named("bricksllm_proxy_requests_total")).hasSize(3);
        assertThat(t.types).containsEntry("bricksllm_proxy_requests_total", "counter");

        assertThat(t.value("bricksllm_proxy_tokens_total", labels("provider", "openai", "model", "gpt-4o-2024-08-06", "type", "prompt"))).isEqualTo(150.0);
        assertThat(t.value("bricksllm_proxy_tokens_total", labels("provider", "openai", "model", "gpt-4o-2024-08-06", "type", "completion"))).isEqualTo(30.0);
        assertThat(t.value("bricksllm_proxy_tokens_total", labels("provider", "anthropic", "model", "claude-3-5-haiku", "type", "prompt"))).isEqualTo(7.0);
        assertThat(t.named("bricksllm_proxy_tokens_total")).hasSize(4); // "not reported" (-1) adds nothing

        assertThat(t.value("bricksllm_proxy_cost_usd_total", labels("provider", "openai", "model", "gpt-4o-2024-08-06"))).isCloseTo(0.015, within(1e-12));
        assertThat(t.named("bricksllm_proxy_cost_usd_total")).hasSize(1);
        assertThat(t.named("bricksllm_proxy_cost_micros_total")).isEmpty(); // StatsD's whole-number twin
        assertThat(t.value("bricksllm_proxy_unpriced_total", labels("provider", "anthropic", "model", "claude-3-5-haiku"))).isEqualTo(1.0);
        assertThat(t.named("bricksllm_proxy_unpriced_total")).hasSize(1);

        Map<String, String> chat200 = labels("provider", "openai", "path", Requests.CHAT, "status", "200");
        assertThat(t.value("bricksllm_proxy_latency_seconds_count", chat200)).isEqualTo(2.0);
        assertThat(t.value("bricksllm_proxy_latency_seconds_sum", chat200)).isCloseTo(0.73, within(1e-9));
        assertThat(t.value("bricksllm_proxy_latency_seconds_max", chat200)).isCloseTo(0.7, within(1e-9));
        assertThat(t.types).containsEntry("bricksllm_proxy_latency_seconds", "histogram");
        assertThat(t.value("bricksllm_proxy_latency_seconds_bucket", withLe(chat200, "0.025"))).isEqualTo(0.0);
        assertThat(t.value("bricksllm_proxy_latency_seconds_bucket", withLe(chat200, "0.05"))).isEqualTo(1.0);
        assertThat(t.value("bricksllm_proxy_latency_seconds_bucket", withLe(chat200, "0.5"))).isEqualTo(1.0);
        assertThat(t.value("bricksllm_proxy_latency_seconds_bucket", withLe(chat200, "1.0"))).isEqualTo(2.0);
        assertThat(t.value("bricksllm_proxy_latency_seconds_bucket", withLe(chat200, "+Inf"))).isEqualTo(2.0);
        assertThat(t.samples.stream().filter(s -> s.name().equals("bricksllm_proxy_latency_seconds_bucket")
                && s.labels().get("path").equals(Requests.CHAT))).hasSize(Telemetry.LATENCY_BUCKETS.length + 1);
    }

    @Test
    void requestsTokensAndCostAreCountedByKeyAndTeam() throws Exception {
        metrics.finished(Requests.withKey(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), "key-1", "team-a"),
                Requests.ok(200, "gpt-4o", 100, 20, 0.0125), 30);
        metrics.finished(Requests.withKey(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), "key-1", "team-a"),
                Requests.ok(200, "gpt-4o", 50, 10, 0.0025), 30);
        metrics.finished(Requests.withKey(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), "key-2", ""),
                Requests.refused(new Refusal.RateLimited("key", 7)), 3);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.ok(401, "", -1, -1, 0), 1);

        PrometheusText t = scrape();
        assertThat(t.value("bricksllm_key_requests_total", labels("key_id", "key-1", "team_id", "team-a", "status_class", "2xx"))).isEqualTo(2.0);
        assertThat(t.value("bricksllm_key_requests_total", labels("key_id", "key-2", "team_id", "none", "status_class", "4xx"))).isEqualTo(1.0);
        assertThat(t.value("bricksllm_key_tokens_total", labels("key_id", "key-1", "team_id", "team-a", "type", "prompt"))).isEqualTo(150.0);
        assertThat(t.value("bricksllm_key_tokens_total", labels("key_id", "key-1", "team_id", "team-a", "type", "completion"))).isEqualTo(30.0);
        assertThat(t.value("bricksllm_key_cost_usd_total", labels("key_id", "key-1", "team_id", "team-a"))).isCloseTo(0.015, within(1e-12));
        assertThat(t.samples).noneMatch(s -> s.name().startsWith("bricksllm_key_cost_micros"));
        // a request without an authenticated key has no key series at all
        assertThat(t.samples).filteredOn(s -> s.name().equals("bricksllm_key_requests_total")).hasSize(2);
    }

    @Test
    void keysPastTheCapAreCountedAsOtherAndEveryRequestIsCounted() throws Exception {
        int keys = ProxyMetrics.DEFAULT_KEY_CAP + 25;
        for (int round = 0; round < 3; round++) { // later rounds go through the per-key cache, past the cap without it
            for (int i = 0; i < keys; i++) {
                metrics.finished(Requests.withKey(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), "key-" + i, "team-a"),
                        Requests.ok(i % 2 == 0 ? 200 : 500, "gpt-4o", 10, 1, 0.001), 5);
            }
        }
        PrometheusText t = scrape();
        var series = t.samples.stream().filter(s -> s.name().equals("bricksllm_key_requests_total")).toList();
        assertThat(series.stream().map(s -> s.labels().get("key_id")).distinct().count()).isEqualTo(ProxyMetrics.DEFAULT_KEY_CAP + 1);
        assertThat(series.stream().mapToDouble(s -> s.value()).sum()).isEqualTo(3.0 * keys);
        assertThat(t.value("bricksllm_key_requests_total", labels("key_id", "key-0", "team_id", "team-a", "status_class", "2xx"))).isEqualTo(3.0);
        assertThat(t.value("bricksllm_key_requests_total", labels("key_id", "key-1", "team_id", "team-a", "status_class", "5xx"))).isEqualTo(3.0);
        double other = series.stream().filter(s -> s.labels().get("key_id").equals("other")).mapToDouble(s -> s.value()).sum();
        assertThat(other).isEqualTo(3.0 * 25);
        assertThat(t.value("bricksllm_key_tokens_total", labels("key_id", "other", "team_id", "team-a", "type", "prompt"))).isEqualTo(10.0 * 3 * 25);
    }

    @Test
    void processAndJvmHealthAreExposedForTheDashboard() throws Exception {
        PrometheusText t = scrape();
        for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                "process_uptime_seconds", "process_files_open_files")) { // GC pauses appear after a GC: GrafanaDashboardTest makes one
            assertThat(t.samples).as(name).anyMatch(s -> s.name().equals(name));
        }
    }

    @Test
    void refusalsAreCountedByReasonAndUpstreamFailuresSeparately() throws Exception {
        metrics.finished(Requests.exchange("openai", Requests.CHAT, ""), Requests.refused(new Refusal.Unauthorized("no key")), 1);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.refused(new Refusal.RateLimited("slow down")), 1);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.refused(new Refusal.RateLimited("slow down")), 1);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.refused(new Refusal.Forbidden("no", "model_not_allowed")), 1);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.refused(new Refusal.UpstreamUnreachable("down")), 1);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.refused(new Refusal.UpstreamTimeout("slow")), 1);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.refused(new Refusal.UpstreamTimeout("slow")), 1);

        PrometheusText t = scrape();
        String refusals = "bricksllm_proxy_refusals_total";
        assertThat(t.value(refusals, labels("provider", "openai", "path", Requests.CHAT, "reason", "unauthorized"))).isEqualTo(1.0);
        assertThat(t.value(refusals, labels("provider", "openai", "path", Requests.CHAT, "reason", "rate_limited"))).isEqualTo(2.0);
        assertThat(t.value(refusals, labels("provider", "openai", "path", Requests.CHAT, "reason", "model_not_allowed"))).isEqualTo(1.0);
        assertThat(t.value(refusals, labels("provider", "openai", "path", Requests.CHAT, "reason", "upstream_timeout"))).isEqualTo(2.0);
        String upstream = "bricksllm_proxy_upstream_errors_total";
        assertThat(t.value(upstream, labels("provider", "openai", "path", Requests.CHAT, "reason", "upstream_unreachable"))).isEqualTo(1.0);
        assertThat(t.value(upstream, labels("provider", "openai", "path", Requests.CHAT, "reason", "upstream_timeout"))).isEqualTo(2.0);
        assertThat(t.named(upstream)).hasSize(2);
        // refused requests never got a 2xx, so "gpt-4o" was not admitted as a model tag value
        assertThat(t.value("bricksllm_proxy_requests_total",
                labels("provider", "openai", "path", Requests.CHAT, "model", "other", "status", "429"))).isEqualTo(2.0);
        assertThat(t.value("bricksllm_proxy_requests_total",
                labels("provider", "openai", "path", Requests.CHAT, "model", "none", "status", "401"))).isEqualTo(1.0);
        assertThat(t.value("bricksllm_proxy_requests_total",
                labels("provider", "openai", "path", Requests.CHAT, "model", "other", "status", "504"))).isEqualTo(2.0);
    }

    @Test
    void upstreamLatencyCacheAndEventPipelineAreExposed() throws Exception {
        metrics.recordUpstreamLatency("openai", Requests.CHAT, TimeUnit.MILLISECONDS.toNanos(120));
        metrics.cacheHit("/production/chat");
        metrics.cacheHit("/production/chat");
        metrics.cacheMiss("/production/chat");
        eventStats.set(new BatchingEventSink.Stats(17, 1234, 5, Duration.ofMillis(250), 40, 30, 2, 1));

        PrometheusText t = scrape();
        Map<String, String> chat = labels("provider", "openai", "path", Requests.CHAT);
        assertThat(t.value("bricksllm_proxy_upstream_latency_seconds_count", chat)).isEqualTo(1.0);
        assertThat(t.value("bricksllm_proxy_upstream_latency_seconds_sum", chat)).isCloseTo(0.12, within(1e-9));
        assertThat(t.value("bricksllm_proxy_upstream_latency_seconds_bucket", withLe(chat, "0.1"))).isEqualTo(0.0);
        assertThat(t.value("bricksllm_proxy_upstream_latency_seconds_bucket", withLe(chat, "0.25"))).isEqualTo(1.0);
        assertThat(t.value("bricksllm_proxy_cache_hits_total", labels("route", "/production/chat"))).isEqualTo(2.0);
        assertThat(t.value("bricksllm_proxy_cache_misses_total", labels("route", "/production/chat"))).isEqualTo(1.0);

        assertThat(t.value("bricksllm_events_queue_depth", Map.of())).isEqualTo(17.0);
        assertThat(t.types).containsEntry("bricksllm_events_queue_depth", "gauge");
        assertThat(t.value("bricksllm_events_last_batch_latency_seconds", Map.of())).isEqualTo(0.25);
        assertThat(t.value("bricksllm_events_written_total", Map.of())).isEqualTo(1234.0);
        assertThat(t.types).containsEntry("bricksllm_events_written_total", "counter");
        assertThat(t.value("bricksllm_events_batches_total", Map.of())).isEqualTo(5.0);
        assertThat(t.value("bricksllm_events_spooled_total", Map.of())).isEqualTo(40.0);
        assertThat(t.value("bricksllm_events_replayed_total", Map.of())).isEqualTo(30.0);
        assertThat(t.value("bricksllm_events_rejected_total", Map.of())).isEqualTo(2.0);
        assertThat(t.value("bricksllm_events_lost_total", Map.of())).isEqualTo(1.0);

        // read when scraped, not when bound
        eventStats.set(new BatchingEventSink.Stats(0, 1300, 6, Duration.ofMillis(10), 40, 40, 2, 1));
        PrometheusText later = scrape();
        assertThat(later.value("bricksllm_events_queue_depth", Map.of())).isEqualTo(0.0);
        assertThat(later.value("bricksllm_events_written_total", Map.of())).isEqualTo(1300.0);
    }

    @Test
    void everyLineIsValidPrometheusTextEvenWithHostileModelNames() throws Exception {
        String hostile = "evil\"model\\with,commas|pipes#hash\nnewline {braces} é ünïcødé " + "x".repeat(300);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, hostile), Requests.ok(200, hostile, 1, 1, 0.001), 5);
        metrics.finished(Requests.exchange("openai", Requests.CHAT, "m"), Requests.ok(200, "ft:gpt-4o-mini:org::AbC12", 1, 1, 0.001), 5);

        HttpResponse<String> r = get(ADMIN_PASS);
        PrometheusText t = PrometheusText.parse(r.body()); // throws on the first invalid line
        assertThat(t.samples).isNotEmpty();
        assertThat(t.samples).allSatisfy(s -> assertThat(s.name()).matches(PrometheusText.NAME));
        assertThat(t.samples).filteredOn(s -> s.name().startsWith("bricksllm_")).isNotEmpty();
        List<String> models = t.named("bricksllm_proxy_requests_total").stream().map(s -> s.labels().get("model")).toList();
        assertThat(models).contains("ft:gpt-4o-mini:org::AbC12");
        assertThat(models).allSatisfy(m -> {
            assertThat(m).hasSizeLessThanOrEqualTo(ModelTags.MAX_LENGTH);
            assertThat(m).matches("[A-Za-z0-9._\\-/:@+]+");
        });
    }

    @Test
    void metricsAreBehindTheAdminKey() throws Exception {
        assertThat(get(null).statusCode()).isEqualTo(401);
        assertThat(get("wrong").statusCode()).isEqualTo(401);
        assertThat(get(ADMIN_PASS).statusCode()).isEqualTo(200);
    }

    private static Map<String, String> withLe(Map<String, String> labels, String le) {
        Map<String, String> m = new java.util.TreeMap<>(labels);
        m.put("le", le);
        return m;
    }
}
