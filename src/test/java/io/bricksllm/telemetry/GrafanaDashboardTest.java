package io.bricksllm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.alerts.SpendAlerts;
import io.bricksllm.events.BatchingEventSink;
import io.bricksllm.limits.FailurePolicy;
import io.bricksllm.limits.GuardedLimitLedger;
import io.bricksllm.limits.MemoryLimitLedger;
import io.bricksllm.proxy.Refusal;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard under docs/grafana queries only metrics the gateway exports: every meter is made to appear
 * (each metrics class driven once, as a running gateway would after some traffic), scraped, and each series name the
 * dashboard's expressions use must be among the scraped ones. A renamed metric fails here, not in an operator's Grafana.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("docs/grafana/bricksllm-dashboard.json");
    /** Metric names in PromQL: ours and the JVM/process families; label names and functions do not match. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:bricksllm|jvm|process)_[a-z_]+)\\b");

    @Test
    void everyQueriedMetricIsExported() throws Exception {
        Set<String> exported = scrapeEverything();
        List<String> exprs = expressions(new ObjectMapper().readTree(Files.readString(DASHBOARD)));
        assertThat(exprs).hasSizeGreaterThan(30);
        Set<String> queried = new TreeSet<>();
        for (String e : exprs) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) queried.add(m.group(1));
        }
        assertThat(queried).contains("bricksllm_proxy_requests_total", "bricksllm_key_cost_usd_total",
                "bricksllm_proxy_latency_seconds_bucket", "bricksllm_limits_store_down", "bricksllm_events_queue_depth");
        assertThat(queried).allSatisfy(name -> assertThat(exported).as("exported series").contains(name));
    }

    @Test
    void panelsDoNotOverlapAndUseTheDatasourceVariable() throws Exception {
        JsonNode d = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode p : d.get("panels")) {
            JsonNode g = p.get("gridPos");
            int[] box = {g.get("x").asInt(), g.get("y").asInt(), g.get("w").asInt(), g.get("h").asInt()};
            assertThat(box[0] + box[2]).as(p.get("title").asText()).isLessThanOrEqualTo(24);
            for (int[] o : boxes) {
                boolean apart = box[0] >= o[0] + o[2] || o[0] >= box[0] + box[2] || box[1] >= o[1] + o[3] || o[1] >= box[1] + box[3];
                assertThat(apart).as(p.get("title").asText() + " overlaps another panel").isTrue();
            }
            boxes.add(box);
            if (!p.get("type").asText().equals("row")) {
                assertThat(p.at("/datasource/uid").asText()).isEqualTo("${datasource}");
            }
        }
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : dashboard.get("panels")) {
            for (JsonNode t : p.path("targets")) out.add(t.get("expr").asText());
        }
        for (JsonNode v : dashboard.at("/templating/list")) {
            if (v.has("definition")) out.add(v.get("definition").asText());
        }
        return out;
    }

    /** Series names of a Prometheus scrape after every meter of the gateway has been touched once. */
    private static Set<String> scrapeEverything() {
        Telemetry telemetry = Telemetry.prometheusOnly();
        try {
            ProxyMetrics metrics = new ProxyMetrics(telemetry.registry());
            metrics.finished(Requests.withKey(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), "key-1", "team-a"),
                    Requests.ok(200, "gpt-4o", 10, 5, 0.001), 20);
            metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.unpriced("gpt-x", 1, 1), 20);
            metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"),
                    Requests.refused(new Refusal.UpstreamUnreachable("down")), 5);
            metrics.usageAnomaly("openai");
            metrics.recordUpstreamLatency("openai", Requests.CHAT, 1_000_000);
            metrics.cacheHit("r");
            metrics.cacheMiss("r");
            // a client abort
            metrics.record("openai", Requests.CHAT, "gpt-4o", 200, 5, -1, -1, 0, 0, false, null, false, true);
            new EventSinkMetrics(() -> new BatchingEventSink.Stats(0, 1, 1, Duration.ZERO, 0, 0, 0, 0)).bindTo(telemetry.registry());
            GuardedLimitLedger guarded = new GuardedLimitLedger(new MemoryLimitLedger(new io.bricksllm.limits.MemorySpendLedger()),
                    FailurePolicy.FAIL_OPEN, FailurePolicy.FAIL_CLOSED, Duration.ofSeconds(1));
            LimitStoreMetrics.bind(telemetry.registry(), "limits", guarded.outage());
            // as SpendAlerts reports one alert (its name and tags; the webhook itself is SpendAlertsTest's)
            Counter.builder(SpendAlerts.METRIC).tag("level", "key").tag("threshold", "80").tag("result", "sent")
                    .register(telemetry.registry()).increment();
            // GC pauses are recorded from the JVM's GC notifications: make one happen
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Set<String> names;
            do {
                System.gc();
                names = PrometheusText.parse(telemetry.scrape()).samples.stream().map(PrometheusText.Sample::name)
                        .collect(Collectors.toCollection(TreeSet::new));
            } while (!names.contains("jvm_gc_pause_seconds_sum") && System.nanoTime() < deadline);
            return names;
        } finally {
            telemetry.close();
        }
    }
}
