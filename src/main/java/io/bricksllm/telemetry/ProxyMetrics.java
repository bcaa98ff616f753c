package io.bricksllm.telemetry;

import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.ProxyPipeline;
import io.bricksllm.proxy.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxy metrics, recorded once per finished request from its {@link Outcome} (DESIGN.md §4a). Tags are
 * low-cardinality: {@code provider}, {@code path} (the endpoint template, never the concrete path),
 * {@code model} (bounded, see {@link ModelTags}), {@code status}, {@code reason}. Names follow the original's
 * {@code bricksllm.<component>.<event>} style; Prometheus renders {@code .} as {@code _} with its suffixes.
 * Non-blocking and thread-safe: called on every event loop at once.
 */
public final class ProxyMetrics implements ProxyPipeline.ProxyObserver {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyMetrics.class);

    public static final String REQUESTS = "bricksllm.proxy.requests";
    public static final String LATENCY = "bricksllm.proxy.latency";
    public static final String UPSTREAM_LATENCY = "bricksllm.proxy.upstream_latency";
    public static final String REFUSALS = "bricksllm.proxy.refusals";
    public static final String UPSTREAM_ERRORS = "bricksllm.proxy.upstream_errors";
    public static final String CLIENT_ABORTS = "bricksllm.proxy.client_aborts";
    public static final String TOKENS = "bricksllm.proxy.tokens";
    /** USD, a fractional counter: Prometheus only. */
    public static final String COST_USD = "bricksllm.proxy.cost_usd";
    /** Micro-dollars, a whole-number counter: StatsD only (its counters cannot carry fractions). */
    public static final String COST_MICROS = "bricksllm.proxy.cost_micros";
    public static final String UNPRICED = "bricksllm.proxy.unpriced";
    public static final String CACHE_HITS = "bricksllm.proxy.cache_hits";
    public static final String CACHE_MISSES = "bricksllm.proxy.cache_misses";

    public static final int DEFAULT_MODEL_CAP = 200;

    private final MeterRegistry registry;
    private final ModelTags models;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    public ProxyMetrics(MeterRegistry registry) {
        this(registry, DEFAULT_MODEL_CAP);
    }

    /** {@code modelCap}: how many distinct {@code model} tag values are kept before {@code other}. */
    public ProxyMetrics(MeterRegistry registry, int modelCap) {
        this.registry = registry;
        this.models = new ModelTags(modelCap);
    }

    @Override
    public void finished(Exchange x, Outcome o, long latencyMs) {
        String model = o.model() == null || o.model().isEmpty() ? x.info.model() : o.model();
        Refusal r = o.refusal();
        record(x.endpoint.provider(), x.endpoint.template(), model, o.status(), latencyMs, o.promptTokens(),
                o.completionTokens(), o.costUsd(), o.costMicros(), o.unpriced(), r == null ? null : r.reason(),
                r instanceof Refusal.UpstreamUnreachable || r instanceof Refusal.UpstreamTimeout, o.clientAborted());
    }

    /**
     * What {@link #finished} records, from plain values. Token counts below 0 mean "not reported".
     * {@code refusalReason} null when the gateway did not refuse; {@code upstreamError} when it answered 502/504
     * because the upstream was unreachable or too slow.
     */
    void record(String provider, String template, String model, int status, long latencyMs, long promptTokens,
                long completionTokens, double costUsd, long costMicros, boolean unpriced, String refusalReason,
                boolean upstreamError, boolean clientAborted) {
        try {
            String p = tag(provider);
            String s = Integer.toString(status);
            String m = models.tag(model, status >= 200 && status < 300 && refusalReason == null);
            registry.counter(REQUESTS, Tags.of("provider", p, "path", template, "model", m, "status", s)).increment();
            Timer.builder(LATENCY).description("Time from request received to response finished, gateway included")
                    .tags("provider", p, "path", template, "status", s)
                    .register(registry).record(Math.max(0, latencyMs), TimeUnit.MILLISECONDS);
            if (refusalReason != null) {
                registry.counter(REFUSALS, Tags.of("provider", p, "path", template, "reason", refusalReason)).increment();
                if (upstreamError) {
                    registry.counter(UPSTREAM_ERRORS, Tags.of("provider", p, "path", template, "reason", refusalReason))
                            .increment();
                }
            }
            if (clientAborted) registry.counter(CLIENT_ABORTS, Tags.of("provider", p, "path", template)).increment();
            if (promptTokens > 0) tokens(p, m, "prompt").increment(promptTokens);
            if (completionTokens > 0) tokens(p, m, "completion").increment(completionTokens);
            if (costUsd > 0) registry.counter(COST_USD, Tags.of("provider", p, "model", m)).increment(costUsd);
            if (costMicros > 0) registry.counter(COST_MICROS, Tags.of("provider", p, "model", m)).increment(costMicros);
            if (unpriced) registry.counter(UNPRICED, Tags.of("provider", p, "model", m)).increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Time from sending the upstream request to the end of its response; for the forwarder. */
    public void recordUpstreamLatency(String provider, String template, long nanos) {
        try {
            Timer.builder(UPSTREAM_LATENCY).description("Time the upstream took to answer, from request sent to response end")
                    .tags("provider", tag(provider), "path", template)
                    .register(registry).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** A response served from the response cache of {@code route}. */
    public void cacheHit(String route) {
        try {
            registry.counter(CACHE_HITS, "route", route).increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** A cacheable request of {@code route} that had to go upstream. */
    public void cacheMiss(String route) {
        try {
            registry.counter(CACHE_MISSES, "route", route).increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Metrics must never break the request path: logged once, then dropped. */
    private void failed(RuntimeException e) {
        if (failureLogged.compareAndSet(false, true)) LOG.warn("recording proxy metrics failed (logged once)", e);
    }

    private Counter tokens(String provider, String model, String type) {
        return registry.counter(TOKENS, Tags.of("provider", provider, "model", model, "type", type));
    }

    private static String tag(String v) {
        return v == null || v.isEmpty() ? ModelTags.NONE : ModelTags.sanitize(v);
    }
}
