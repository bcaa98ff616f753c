package io.bricksllm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.ConfigLoader;
import io.bricksllm.events.BatchingEventSink;
import io.bricksllm.proxy.Refusal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** DogStatsD lines ({@code name:value|type|#tag:value,...}) received by a real UDP listener. */
class StatsdTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void proxyMetricsArriveAsDatadogLines() throws Exception {
        try (StatsdLines statsd = new StatsdLines();
             Telemetry telemetry = Telemetry.withStatsd("127.0.0.1", statsd.port(), Duration.ofMillis(100))) {
            statsd.awaitConnected(telemetry.registry());
            ProxyMetrics metrics = new ProxyMetrics(telemetry.registry());
            metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.ok(200, "gpt-4o", 100, 20, 0.0125), 42);
            metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.refused(new Refusal.RateLimited("slow")), 1);
            metrics.finished(Requests.exchange("openai", Requests.CHAT, "gpt-4o"), Requests.refused(new Refusal.UpstreamTimeout("slow")), 1);
            metrics.recordUpstreamLatency("openai", Requests.CHAT, TimeUnit.MILLISECONDS.toNanos(37));
            metrics.cacheHit("/prod/chat");

            String chat = "path:" + Requests.CHAT + ",provider:openai";
            statsd.await(WAIT, List.of(
                    exact("bricksllm.proxy.requests:1|c|#statistic:count,model:gpt-4o," + chat + ",status:200"),
                    exact("bricksllm.proxy.requests:1|c|#statistic:count,model:gpt-4o," + chat + ",status:429"),
                    exact("bricksllm.proxy.latency:42|ms|#" + chat + ",status:200"),
                    exact("bricksllm.proxy.tokens:100|c|#statistic:count,model:gpt-4o,provider:openai,type:prompt"),
                    exact("bricksllm.proxy.tokens:20|c|#statistic:count,model:gpt-4o,provider:openai,type:completion"),
                    exact("bricksllm.proxy.cost_micros:12500|c|#statistic:count,model:gpt-4o,provider:openai"),
                    exact("bricksllm.proxy.refusals:1|c|#statistic:count," + chat + ",reason:rate_limited"),
                    exact("bricksllm.proxy.upstream_errors:1|c|#statistic:count," + chat + ",reason:upstream_timeout"),
                    exact("bricksllm.proxy.upstream_latency:37|ms|#" + chat),
                    exact("bricksllm.proxy.cache_hits:1|c|#statistic:count,route:/prod/chat")), "the proxy metrics");

            List<String> lines = statsd.lines();
            assertThat(lines).allSatisfy(l -> assertThat(l).matches("bricksllm\\.[a-z_.]+:[0-9.]+\\|(c|g|ms)(\\|#[^|#\\s]+)?"));
            assertThat(lines).noneMatch(l -> l.startsWith("bricksllm.proxy.cost_usd")); // fractions would be truncated to 0
            assertThat(lines).noneMatch(l -> l.contains("le:") || l.contains(".histogram")); // buckets are Prometheus-only
        }
    }

    @Test
    void eventGaugesArePolledAndFunctionCountersSendTheirIncrease() throws Exception {
        try (StatsdLines statsd = new StatsdLines();
             Telemetry telemetry = Telemetry.withStatsd("127.0.0.1", statsd.port(), Duration.ofMillis(100))) {
            var stats = new java.util.concurrent.atomic.AtomicReference<>(
                    new BatchingEventSink.Stats(3, 100, 2, Duration.ofMillis(40), 0, 0, 0, 0));
            statsd.awaitConnected(telemetry.registry());
            new EventSinkMetrics(stats::get).bindTo(telemetry.registry());
            statsd.await(WAIT, List.of(
                    exact("bricksllm.events.queue_depth:3|g|#statistic:value"),
                    exact("bricksllm.events.last_batch_latency:0.04|g|#statistic:value"),
                    exact("bricksllm.events.written:100|c|#statistic:count")), "the first poll");
            stats.set(new BatchingEventSink.Stats(0, 160, 3, Duration.ofMillis(40), 5, 0, 0, 0));
            statsd.await(WAIT, List.of(
                    exact("bricksllm.events.queue_depth:0|g|#statistic:value"),
                    exact("bricksllm.events.written:60|c|#statistic:count"),
                    exact("bricksllm.events.spooled:5|c|#statistic:count")), "a later poll");
        }
    }

    @Test
    void closeSendsWhatIsStillBuffered() throws Exception {
        try (StatsdLines statsd = new StatsdLines()) {
            // a flush interval far longer than the wait: lines leave only when a packet is full, or on close()
            Telemetry telemetry = Telemetry.withStatsd("127.0.0.1", statsd.port(), Duration.ofMinutes(10));
            statsd.awaitConnected(telemetry.registry()); // probes until a full packet leaves
            ProxyMetrics metrics = new ProxyMetrics(telemetry.registry());
            metrics.cacheMiss("/last");
            assertThat(statsd.lines()).noneMatch(l -> l.contains("route:/last"));
            telemetry.close();
            statsd.await(WAIT, List.of(exact("bricksllm.proxy.cache_misses:1|c|#statistic:count,route:/last")), "the line sent on close");
        }
    }

    @Test
    void configChoosesStatsdOnlyWhenItIsTheProviderAndEnabled() throws Exception {
        try (StatsdLines statsd = new StatsdLines()) {
            String address = "127.0.0.1:" + statsd.port();
            try (Telemetry t = Telemetry.from(ConfigLoader.load(Map.of("STATS_ADDRESS", address)))) {
                assertThat(t.statsdEnabled()).isTrue(); // statsd is the default provider
                statsd.awaitConnected(t.registry());
                new ProxyMetrics(t.registry()).cacheHit("/from-config");
            }
            statsd.await(WAIT, List.of(exact("bricksllm.proxy.cache_hits:1|c|#statistic:count,route:/from-config")), "the configured address");
            try (Telemetry t = Telemetry.from(ConfigLoader.load(Map.of("STATS_ADDRESS", address, "STATS_ENABLED", "false")))) {
                assertThat(t.statsdEnabled()).isFalse();
            }
            try (Telemetry t = Telemetry.from(ConfigLoader.load(Map.of("STATS_ADDRESS", address, "TELEMETRY_PROVIDER", "prometheus")))) {
                assertThat(t.statsdEnabled()).isFalse();
                new ProxyMetrics(t.registry()).cacheHit("/prometheus-only");
                assertThat(t.scrape()).contains("bricksllm_proxy_cache_hits_total{route=\"/prometheus-only\"} 1");
            }
            try (Telemetry t = Telemetry.from(ConfigLoader.load(Map.of("STATS_ADDRESS", address, "TELEMETRY_PROVIDER", "none")))) {
                assertThat(t.statsdEnabled()).isFalse();
            }
        }
    }

    @Test
    void noAgentListeningIsNotLoggedPerPacket() throws Exception {
        int closedPort;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (Telemetry t = Telemetry.withStatsd("127.0.0.1", closedPort, Duration.ofMillis(100))) {
            new ProxyMetrics(t.registry()).cacheHit("/nobody-listens");
            var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Telemetry.REFUSED_PACKET_LOGGER);
            assertThat(logger.getEffectiveLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private static Predicate<String> exact(String line) {
        return new Predicate<>() {
            @Override
            public boolean test(String l) {
                return l.equals(line);
            }

            @Override
            public String toString() {
                return line;
            }
        };
    }
}
