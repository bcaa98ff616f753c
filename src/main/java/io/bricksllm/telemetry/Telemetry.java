package io.bricksllm.telemetry;

import io.bricksllm.config.GatewayConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.statsd.StatsdConfig;
import io.micrometer.statsd.StatsdFlavor;
import io.micrometer.statsd.StatsdMeterRegistry;
import io.micrometer.statsd.StatsdProtocol;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's meter registry (BEHAVIOUR.md §13): a Prometheus registry always, so that {@code /metrics} on the
 * admin port answers in every mode, plus a DogStatsD registry (Datadog tags, {@code name:value|c|#tag:value})
 * to {@code STATS_ADDRESS} when {@code TELEMETRY_PROVIDER=statsd} and {@code STATS_ENABLED}.
 * Meters are registered once on {@link #registry()} and reach both.
 *
 * <p>Two differences between the backends are deliberate: latency timers get fixed histogram buckets in
 * Prometheus only (StatsD sends each timing as {@code |ms}, as the original did, and the agent aggregates);
 * and cost goes to Prometheus as a USD counter ({@code cost_usd}) but to StatsD in micro-dollars
 * ({@code cost_micros}), because Micrometer's StatsD counters send whole numbers only.
 */
public final class Telemetry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

    /** The Prometheus text exposition format that {@link #scrape()} writes. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** How often StatsD gauges are polled and buffered lines flushed (DogStatsD's own client flushes every 10 s too). */
    public static final Duration DEFAULT_STATSD_FLUSH = Duration.ofSeconds(10);

    /** Histogram buckets of the latency timers in Prometheus: 5 ms … 5 min. */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final PrometheusMeterRegistry prometheus;
    private final StatsdMeterRegistry statsd;
    /** JVM garbage-collection meters listen to GC notifications until closed; null without Prometheus. */
    private final io.micrometer.core.instrument.binder.jvm.JvmGcMetrics gcMetrics;
    private volatile boolean closed;

    private Telemetry(boolean prometheusEnabled, String statsdHost, int statsdPort, Duration statsdFlush) {
        if (prometheusEnabled) {
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            prometheus.config()
                    .meterFilter(MeterFilter.denyNameStartsWith(ProxyMetrics.COST_MICROS))
                    .meterFilter(MeterFilter.denyNameStartsWith(ProxyMetrics.KEY_COST_MICROS))
                    .meterFilter(latencyBuckets());
            registry.add(prometheus);
            gcMetrics = bindProcessMetrics(prometheus);
            prometheus.scrape(); // loads the text writer now, not on the event loop of the first /metrics request
        } else {
            prometheus = null; // PROMETHEUS_ENABLED=false: no /metrics, and requests do not pay for meters nobody reads
            gcMetrics = null;
        }
        if (statsdHost != null) {
            quietRefusedPackets();
            statsd = new StatsdMeterRegistry(datadog(statsdHost, statsdPort, statsdFlush), io.micrometer.core.instrument.Clock.SYSTEM);
            statsd.config().meterFilter(MeterFilter.denyNameStartsWith(ProxyMetrics.COST_USD))
                    .meterFilter(MeterFilter.denyNameStartsWith(ProxyMetrics.KEY_COST_USD));
            registry.add(statsd);
        } else {
            statsd = null;
        }
    }

    /**
     * Prometheus unless {@code PROMETHEUS_ENABLED=false}; DogStatsD too when {@code TELEMETRY_PROVIDER=statsd} and
     * {@code STATS_ENABLED}.
     */
    public static Telemetry from(GatewayConfig config) {
        boolean prometheus = config.prometheusEnabled();
        String scrape = prometheus ? "Prometheus on the admin port's /metrics" : "no /metrics (PROMETHEUS_ENABLED=false)";
        if ("statsd".equals(config.telemetryProvider()) && config.statsEnabled()) {
            String address = config.statsAddress();
            int colon = address.lastIndexOf(':');
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            int port = Integer.parseInt(address.substring(colon + 1));
            LOG.info("metrics: {}, DogStatsD to {}", scrape, address);
            return new Telemetry(prometheus, host, port, DEFAULT_STATSD_FLUSH);
        }
        LOG.info("metrics: {}", scrape);
        return new Telemetry(prometheus, null, 0, null);
    }

    public static Telemetry prometheusOnly() {
        return new Telemetry(true, null, 0, null);
    }

    /** {@code flush}: the longest a buffered StatsD line waits, and how often gauges and function counters are sent. */
    public static Telemetry withStatsd(String host, int port, Duration flush) {
        return new Telemetry(true, host, port, flush);
    }

    /** Where meters are registered; they reach every backend. */
    public MeterRegistry registry() {
        return registry;
    }

    public boolean statsdEnabled() {
        return statsd != null;
    }

    /** False when {@code PROMETHEUS_ENABLED=false}: there is nothing to scrape. */
    public boolean prometheusEnabled() {
        return prometheus != null;
    }

    /** The Prometheus text format ({@link #PROMETHEUS_CONTENT_TYPE}), built from memory. */
    public String scrape() {
        if (prometheus == null) throw new IllegalStateException("PROMETHEUS_ENABLED=false");
        return prometheus.scrape();
    }

    /** Sends what StatsD has buffered (gauges polled once more) and stops it; idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (statsd != null) {
            try {
                statsd.close();
            } catch (RuntimeException e) {
                LOG.warn("StatsD registry did not close cleanly: {}", e.toString());
            }
        }
        if (gcMetrics != null) gcMetrics.close();
        if (prometheus != null) prometheus.close();
        registry.close();
    }

    /**
     * Heap, GC, threads, CPU, uptime and open files of this process, on the Prometheus registry only (read at scrape
     * time, nothing on the request path): the dashboard's process row and what operators alert on first.
     */
    private static io.micrometer.core.instrument.binder.jvm.JvmGcMetrics bindProcessMetrics(MeterRegistry r) {
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(r);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(r);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(r);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(r);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(r);
        io.micrometer.core.instrument.binder.jvm.JvmGcMetrics gc = new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics();
        gc.bindTo(r);
        return gc;
    }

    /**
     * With no agent on the StatsD address (the default 127.0.0.1:8125 included) every packet comes back as an ICMP
     * "port unreachable", which the StatsD client's shaded Reactor Netty logs as a WARN per packet. Metrics are
     * best-effort like the original's fire-and-forget UDP client, so that logger is limited to errors.
     */
    private static void quietRefusedPackets() {
        if (LoggerFactory.getLogger(REFUSED_PACKET_LOGGER) instanceof ch.qos.logback.classic.Logger l && l.getLevel() == null) {
            l.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    static final String REFUSED_PACKET_LOGGER = "io.micrometer.shaded.reactor.netty.channel.FluxReceive";

    private static StatsdConfig datadog(String host, int port, Duration flush) {
        return new StatsdConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public StatsdFlavor flavor() {
                return StatsdFlavor.DATADOG;
            }

            @Override
            public String host() {
                return host;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public StatsdProtocol protocol() {
                return StatsdProtocol.UDP;
            }

            @Override
            public Duration pollingFrequency() {
                return flush;
            }

            @Override
            public boolean buffered() {
                return true;
            }
        };
    }

    /** Fixed buckets for this gateway's timers in Prometheus (the StatsD registry never sees them). */
    private static MeterFilter latencyBuckets() {
        double[] nanos = Arrays.stream(LATENCY_BUCKETS).mapToDouble(Duration::toNanos).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith("bricksllm.")) return config;
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}
