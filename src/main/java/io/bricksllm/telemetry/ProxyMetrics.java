package io.bricksllm.telemetry;

import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.ProxyPipeline;
import io.bricksllm.proxy.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
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
    /** Responses whose reported usage exceeded what the request could have used (charged bounded, see UsageBounds). */
    public static final String USAGE_ANOMALIES = "bricksllm.usage.anomalies";
    public static final String CACHE_HITS = "bricksllm.proxy.cache_hits";
    public static final String CACHE_MISSES = "bricksllm.proxy.cache_misses";
    /** Per gateway key (and its team): what dashboards chart by key; key ids are admin-made, bounded by {@link #keys}. */
    public static final String KEY_REQUESTS = "bricksllm.key.requests";
    public static final String KEY_TOKENS = "bricksllm.key.tokens";
    public static final String KEY_COST_USD = "bricksllm.key.cost_usd";
    public static final String KEY_COST_MICROS = "bricksllm.key.cost_micros";

    public static final int DEFAULT_MODEL_CAP = 200;
    /** {@code status_class} tag values by status / 100 (made once: this runs on every request). */
    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    /** Distinct key ids kept as tag values before {@code other}: more keys than this are a table, not a chart. */
    public static final int DEFAULT_KEY_CAP = 1000;

    private static final String TOKENS_HELP = "Tokens reported or counted, by type (prompt, completion)";

    private final MeterRegistry registry;
    private final ModelTags models;
    private final ModelTags keys;
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    /** Meters by name and tag values. Bounded: every tag is low-cardinality (models capped by {@link ModelTags}). */
    private final ConcurrentHashMap<MeterKey, Meter> meters = new ConcurrentHashMap<>();
    /** Per-key counters by key and team id as they come (see {@link #keyMeters}). */
    private final ConcurrentHashMap<KeyTeam, KeyMeters> keyMeters = new ConcurrentHashMap<>();

    public ProxyMetrics(MeterRegistry registry) {
        this(registry, DEFAULT_MODEL_CAP);
    }

    /** {@code modelCap}: how many distinct {@code model} tag values are kept before {@code other}. */
    public ProxyMetrics(MeterRegistry registry, int modelCap) {
        this.registry = registry;
        this.models = new ModelTags(modelCap);
        this.keys = new ModelTags(DEFAULT_KEY_CAP);
    }

    @Override
    public void finished(Exchange x, Outcome o, long latencyMs) {
        String model = o.model() == null || o.model().isEmpty() ? x.info.model() : o.model();
        Refusal r = o.refusal();
        record(x.providerName(), x.endpoint.template(), model, o.status(), latencyMs, o.promptTokens(),
                o.completionTokens(), o.costUsd(), o.costMicros(), o.unpriced(), r == null ? null : r.reason(),
                r instanceof Refusal.UpstreamUnreachable || r instanceof Refusal.UpstreamTimeout, o.clientAborted());
        if (!o.usageAnomaly().isEmpty()) usageAnomaly(x.providerName());
        // a route with a cache: every request it answered counts as a hit (from the cache) or a miss (went upstream)
        if (x.route != null && x.route.cacheConfig() != null && x.route.cacheConfig().enabled() && r == null) {
            if ("cached".equals(x.answeredBy)) cacheHit(x.route.path());
            else cacheMiss(x.route.path());
        }
        if (x.key != null) recordKey(x.key.keyId(), x.teamId(), o.status(), o.promptTokens(), o.completionTokens(), o.costUsd(), o.costMicros());
    }

    /**
     * Requests, tokens and cost of one authenticated request by key and team. Only keys that authenticated get here,
     * so the tag values are ids the admin made (not caller-chosen); still capped, as a fleet can hold many keys.
     */
    void recordKey(String keyId, String teamId, int status, long promptTokens, long completionTokens, double costUsd, long costMicros) {
        try {
            KeyMeters m = keyMeters(keyId, teamId);
            m.requests(status >= 100 && status < 600 ? status / 100 : 0).increment();
            if (promptTokens > 0) m.tokens(0).increment(promptTokens);
            if (completionTokens > 0) m.tokens(1).increment(completionTokens);
            if (costUsd > 0) m.costUsd().increment(costUsd);
            if (costMicros > 0) m.costMicros().increment(costMicros);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private static final String KEY_REQUESTS_HELP = "Requests by gateway key, its team and status class";
    private static final String KEY_COST_USD_HELP = "Cost by gateway key and its team in US dollars";
    private static final String KEY_COST_MICROS_HELP = "Cost by gateway key and its team in millionths of a US dollar";

    /** The meters of one key and team, or uncached ones past twice the key cap (tag values past it are "other"). */
    private KeyMeters keyMeters(String keyId, String teamId) {
        KeyTeam id = new KeyTeam(keyId, teamId == null ? "" : teamId);
        KeyMeters m = keyMeters.get(id);
        if (m != null) return m;
        m = new KeyMeters(keys.tag(keyId, true), tag(teamId));
        if (keyMeters.size() >= 2 * DEFAULT_KEY_CAP) return m;
        KeyMeters raced = keyMeters.putIfAbsent(id, m);
        return raced == null ? m : raced;
    }

    private record KeyTeam(String keyId, String teamId) {}

    /**
     * One key's and team's counters, each found in {@link #meters} (and so registered) on its first use only: a
     * request then costs one lookup here instead of one per counter. Counters appear when first counted, as before.
     */
    private final class KeyMeters {
        private final String k;
        private final String t;
        /** Requests by status class (index status / 100, 0 = none), prompt and completion tokens, cost in USD and micros. */
        private final java.util.concurrent.atomic.AtomicReferenceArray<Counter> counters =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(STATUS_CLASSES.length + 4);

        KeyMeters(String k, String t) {
            this.k = k;
            this.t = t;
        }

        Counter requests(int statusClass) {
            return cached(statusClass, KEY_REQUESTS, KEY_REQUESTS_HELP, "key_id", k, "team_id", t, "status_class", STATUS_CLASSES[statusClass]);
        }

        Counter tokens(int completion) {
            return cached(STATUS_CLASSES.length + completion, KEY_TOKENS, TOKENS_HELP, "key_id", k, "team_id", t,
                    "type", completion == 0 ? "prompt" : "completion");
        }

        Counter costUsd() {
            return cached(STATUS_CLASSES.length + 2, KEY_COST_USD, KEY_COST_USD_HELP, "key_id", k, "team_id", t);
        }

        Counter costMicros() {
            return cached(STATUS_CLASSES.length + 3, KEY_COST_MICROS, KEY_COST_MICROS_HELP, "key_id", k, "team_id", t);
        }

        private Counter cached(int slot, String name, String help, String... tags) {
            Counter c = counters.get(slot);
            if (c == null) {
                c = counter(name, help, tags);
                counters.set(slot, c); // a race registers nothing twice: both find the one meter in meters
            }
            return c;
        }
    }

    /** One response whose upstream reported implausible usage (the charge was bounded). */
    void usageAnomaly(String provider) {
        try {
            count(USAGE_ANOMALIES, "Responses whose upstream reported usage beyond what the request could have used, charged bounded",
                    1, "provider", tag(provider));
        } catch (RuntimeException e) {
            failed(e);
        }
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
            count(REQUESTS, "Proxied requests by provider, endpoint template, model and status", 1, "provider", p, "path", template, "model", m, "status", s);
            timer(LATENCY, "Time from request received to response finished, gateway included", "provider", p, "path", template, "status", s)
                    .record(Math.max(0, latencyMs), TimeUnit.MILLISECONDS);
            if (refusalReason != null) {
                count(REFUSALS, "Requests the gateway answered itself, by reason", 1, "provider", p, "path", template, "reason", refusalReason);
                if (upstreamError) {
                    count(UPSTREAM_ERRORS, "Requests answered 502/504 because the upstream was unreachable or too slow", 1,
                            "provider", p, "path", template, "reason", refusalReason);
                }
            }
            if (clientAborted) count(CLIENT_ABORTS, "Requests whose caller went away before the end", 1, "provider", p, "path", template);
            if (promptTokens > 0) count(TOKENS, TOKENS_HELP, promptTokens, "provider", p, "model", m, "type", "prompt");
            if (completionTokens > 0) count(TOKENS, TOKENS_HELP, completionTokens, "provider", p, "model", m, "type", "completion");
            if (costUsd > 0) count(COST_USD, "Cost of proxied requests in US dollars", costUsd, "provider", p, "model", m);
            if (costMicros > 0) count(COST_MICROS, "Cost of proxied requests in millionths of a US dollar", costMicros, "provider", p, "model", m);
            if (unpriced) count(UNPRICED, "Requests whose model has no price, recorded at cost 0", 1, "provider", p, "model", m);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Time from sending the upstream request to the end of its response; for the forwarder. */
    public void recordUpstreamLatency(String provider, String template, long nanos) {
        try {
            timer(UPSTREAM_LATENCY, "Time the upstream took to answer, from request sent to response end",
                    "provider", tag(provider), "path", template).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** A response served from the response cache of {@code route}. */
    public void cacheHit(String route) {
        try {
            count(CACHE_HITS, "Responses served from a route's cache", 1, "route", route);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** A cacheable request of {@code route} that had to go upstream. */
    public void cacheMiss(String route) {
        try {
            count(CACHE_MISSES, "Cacheable route requests that went upstream", 1, "route", route);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Metrics must never break the request path: logged once, then dropped. */
    private void failed(RuntimeException e) {
        if (failureLogged.compareAndSet(false, true)) LOG.warn("recording proxy metrics failed (logged once)", e);
    }

    private void count(String name, String description, double amount, String... tags) {
        counter(name, description, tags).increment(amount);
    }

    private Counter counter(String name, String description, String... tags) {
        return meter(name, tags, () -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    private Timer timer(String name, String description, String... tags) {
        return meter(name, tags, () -> Timer.builder(name).description(description).tags(tags).register(registry));
    }

    /** The cached meter of this name and these tag values, registered by {@code register} the first time. */
    @SuppressWarnings("unchecked")
    private <M extends Meter> M meter(String name, String[] tags, Supplier<M> register) {
        MeterKey key = key(name, tags);
        Meter m = meters.get(key);
        if (m == null) m = meters.computeIfAbsent(key, k -> register.get());
        return (M) m;
    }

    /**
     * A meter's name and tag values (each name has a fixed list of tag names, at most four): looking a meter up
     * here is one hash of a few strings, where the registry's own lookup builds, sorts and compares tag lists.
     */
    private record MeterKey(String name, String v1, String v2, String v3, String v4) {}

    private static MeterKey key(String name, String[] tags) {
        int n = tags.length / 2;
        return new MeterKey(name, n > 0 ? tags[1] : null, n > 1 ? tags[3] : null, n > 2 ? tags[5] : null, n > 3 ? tags[7] : null);
    }

    private static String tag(String v) {
        return v == null || v.isEmpty() ? ModelTags.NONE : ModelTags.sanitize(v);
    }
}
