package io.bricksllm.telemetry.tracing;

import io.bricksllm.config.ConfigException;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.forward.Attempt;
import io.bricksllm.proxy.forward.UpstreamOrigin;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry traces of the proxy: a SERVER span per request and a CLIENT span per upstream attempt, with the
 * HTTP and GenAI semantic-convention attributes and ours ({@code bricksllm.*}). Prompts and completions never go on
 * a span.
 *
 * <p>Off unless {@code OTEL_TRACES_EXPORTER} names an exporter: then {@link #OFF} is used, no SDK is started, and
 * every method returns on its first line (one final boolean; nothing allocated, no span fields set). On the
 * event loop no {@link Context#current()} is used: spans live in the {@link Exchange} and parents are passed
 * explicitly, so no thread-local context can leak from one request into another.
 */
public final class Tracing implements AutoCloseable {
    public static final Tracing OFF = new Tracing(null, null);

    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> GEN_AI_SYSTEM = AttributeKey.stringKey("gen_ai.system");
    static final AttributeKey<String> GEN_AI_PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> GEN_AI_OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> GEN_AI_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> GEN_AI_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
    static final AttributeKey<String> KEY_ID = AttributeKey.stringKey("bricksllm.key_id");
    static final AttributeKey<String> TEAM_ID = AttributeKey.stringKey("bricksllm.team_id");
    static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("bricksllm.cost_usd");
    static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("bricksllm.cache_hit");
    static final AttributeKey<String> REFUSAL_REASON = AttributeKey.stringKey("bricksllm.refusal_reason");
    static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey("bricksllm.correlation_id");
    static final AttributeKey<Boolean> CLIENT_ABORTED = AttributeKey.booleanKey("bricksllm.client_aborted");
    static final AttributeKey<String> ROUTE_ID = AttributeKey.stringKey("bricksllm.route_id");
    static final AttributeKey<String> ANSWERED_BY = AttributeKey.stringKey("bricksllm.answered_by");

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<HttpServerRequest> REQUEST_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServerRequest carrier) {
            return carrier.headers().names();
        }

        @Override
        public String get(HttpServerRequest carrier, String key) {
            return carrier == null ? null : carrier.getHeader(key);
        }
    };

    private static final TextMapSetter<MultiMap> UPSTREAM_HEADERS = (carrier, key, value) -> {
        if (carrier != null) carrier.set(key, value);
    };

    private final boolean on;
    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    /** The resource the spans are exported with (service name and the rest); null when off. */
    private final Resource resource;

    private Tracing(OpenTelemetrySdk sdk, Resource resource) {
        this.on = sdk != null;
        this.sdk = sdk;
        this.resource = resource;
        this.tracer = sdk == null ? null : sdk.getTracer("io.bricksllm.gateway");
    }

    /**
     * Tracing as the {@code OTEL_*} variables of {@code env} configure it (the standard SDK autoconfiguration; they
     * win over the process environment, which is read too): {@link #OFF} without {@code OTEL_TRACES_EXPORTER} or
     * with {@code none}. Only traces are exported; OTLP goes over HTTP (protobuf) by default.
     */
    public static Tracing from(Map<String, String> env) {
        String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "").trim();
        if (exporter.isEmpty() || exporter.equalsIgnoreCase("none")) return OFF;
        Map<String, String> properties = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
        });
        Map<String, String> defaults = Map.of(
                "otel.metrics.exporter", "none", // metrics are Prometheus/StatsD's
                "otel.logs.exporter", "none",
                // only the JDK HttpClient sender is shipped: it speaks OTLP over HTTP, not gRPC
                "otel.exporter.otlp.protocol", "http/protobuf");
        Resource[] used = new Resource[1];
        try {
            OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> defaults)
                    .addPropertiesCustomizer(config -> properties)
                    // "bricksllm" unless OTEL_SERVICE_NAME or service.name in OTEL_RESOURCE_ATTRIBUTES names it
                    .addResourceCustomizer((resource, config) -> {
                        String name = resource.getAttribute(SERVICE_NAME);
                        Resource named = name == null || name.startsWith("unknown_service")
                                ? resource.merge(Resource.create(Attributes.of(SERVICE_NAME, "bricksllm"))) : resource;
                        used[0] = named;
                        return named;
                    })
                    .disableShutdownHook() // the gateway closes it, after the proxy drained
                    .build()
                    .getOpenTelemetrySdk();
            return new Tracing(sdk, used[0]);
        } catch (RuntimeException e) {
            throw new ConfigException("OTEL_*: tracing could not be configured: " + e.getMessage());
        }
    }

    public boolean on() {
        return on;
    }

    /** A request arrived: its SERVER span starts, continuing the caller's W3C trace context when it sent one. */
    public void serverStarted(Exchange x) {
        if (!on) return;
        HttpServerRequest req = x.request;
        Context parent = W3C.extract(Context.root(), req, REQUEST_HEADERS);
        String method = req.method().name();
        x.serverSpan = tracer.spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(HTTP_METHOD, method)
                .setAttribute(URL_PATH, req.path()) // never the query: a key may be in it
                .setAttribute(URL_SCHEME, req.isSSL() ? "https" : "http")
                .setAttribute(PROTOCOL_VERSION, protocol(req))
                .setAttribute(CORRELATION_ID, x.correlationId)
                .startSpan();
    }

    /** The request ended (answered, refused, or its stream ended or was left): its SERVER span ends with the outcome. */
    public void serverEnded(Exchange x, Outcome o) {
        if (!on) return;
        Span span = x.serverSpan;
        if (span == null) return;
        if (span.isRecording()) describeServer(span, x, o);
        span.end();
    }

    private static void describeServer(Span span, Exchange x, Outcome o) {
        String template = x.endpoint.template();
        if (!io.bricksllm.proxy.Endpoint.UNMATCHED.equals(template)) {
            span.updateName(x.request.method().name() + " " + template);
            span.setAttribute(HTTP_ROUTE, template);
        }
        span.setAttribute(HTTP_STATUS, o.status());
        genAi(span, x, x.endpoint.operation(), x.providerName(), x.info.model());
        if (o.refusal() == null && o.status() / 100 == 2) usage(span, o);
        if (x.key != null) span.setAttribute(KEY_ID, x.key.keyId());
        String team = x.teamId();
        if (!team.isEmpty()) span.setAttribute(TEAM_ID, team);
        if (x.route != null) span.setAttribute(ROUTE_ID, x.route.id());
        if (x.answeredBy != null) span.setAttribute(ANSWERED_BY, x.answeredBy);
        span.setAttribute(COST_USD, o.costUsd() + x.extraCostMicros / 1_000_000.0);
        span.setAttribute(CACHE_HIT, "cached".equals(x.answeredBy));
        if (o.refusal() != null) span.setAttribute(REFUSAL_REASON, o.refusal().reason());
        if (o.clientAborted()) span.setAttribute(CLIENT_ABORTED, true);
        // HTTP conventions: a server span is an error for a 5xx only (a 4xx is the caller's, and not ours to flag)
        if (o.status() >= 500) {
            span.setAttribute(ERROR_TYPE, String.valueOf(o.status()));
            span.setStatus(StatusCode.ERROR, o.refusal() != null ? o.refusal().reason() : "");
        }
    }

    /**
     * An upstream attempt is about to be sent: its CLIENT span starts, child of the request's SERVER span, and the
     * upstream headers carry its {@code traceparent} (set before a provider signs the headers).
     */
    public void clientStarted(Exchange x, HttpMethod method, UpstreamOrigin origin, String url, MultiMap headers) {
        if (!on) return;
        Context parent = x.serverSpan == null ? Context.root() : Context.root().with(x.serverSpan);
        Operation op = x.endpoint.operation();
        String genAiOp = GenAiNames.operation(op);
        String model = x.info.model();
        int query = url.indexOf('?');
        SpanBuilder b = tracer.spanBuilder(genAiOp != null && !model.isEmpty() ? genAiOp + " " + model : method.name())
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(HTTP_METHOD, method.name())
                .setAttribute(SERVER_ADDRESS, origin.host())
                .setAttribute(SERVER_PORT, (long) origin.port())
                .setAttribute(URL_FULL, query < 0 ? url : url.substring(0, query)); // a key may be in the query
        Span span = b.startSpan();
        if (span.isRecording()) genAi(span, x, op, x.provider == null ? null : x.provider.name(), model);
        x.clientSpan = span;
        headers.remove("tracestate"); // the caller's, if any, is in the span context and injected with it
        W3C.inject(parent.with(span), headers, UPSTREAM_HEADERS);
    }

    /** The attempt settled (relayed to its end, kept back for a retry, or failed without an answer). */
    public void clientEnded(Exchange x, AsyncResult<Attempt> ar) {
        if (!on) return;
        Span span = x.clientSpan;
        if (span == null) return;
        if (span.isRecording()) describeClient(span, ar);
        span.end();
    }

    private static void describeClient(Span span, AsyncResult<Attempt> ar) {
        int status = 0;
        if (ar.succeeded() && ar.result() instanceof Attempt.Relayed r) {
            Outcome o = r.outcome();
            if (o.clientAborted()) span.setAttribute(CLIENT_ABORTED, true);
            if (!(o.clientAborted() && o.status() == 499)) status = o.status(); // 499: the caller left before any answer
            if (status / 100 == 2) {
                if (!o.model().isEmpty()) span.setAttribute(GEN_AI_RESPONSE_MODEL, o.model());
                usage(span, o);
            }
        } else if (ar.succeeded() && ar.result() instanceof Attempt.Answered a) {
            status = a.status();
        } else if (ar.failed()) {
            String type = ar.cause() instanceof Refusal.Refused refused ? refused.refusal().reason()
                    : ar.cause().getClass().getName();
            span.setAttribute(ERROR_TYPE, type);
            span.setStatus(StatusCode.ERROR, type);
        }
        if (status > 0) {
            span.setAttribute(HTTP_STATUS, status);
            // HTTP conventions: a client span is an error for any 4xx or 5xx
            if (status >= 400) {
                span.setAttribute(ERROR_TYPE, String.valueOf(status));
                span.setStatus(StatusCode.ERROR);
            }
        }
    }

    private static void genAi(Span span, Exchange x, Operation op, String provider, String model) {
        String genAiOp = GenAiNames.operation(op);
        if (genAiOp == null) return;
        String system = GenAiNames.provider(provider);
        if (system != null) {
            span.setAttribute(GEN_AI_PROVIDER, system);
            span.setAttribute(GEN_AI_SYSTEM, system); // the attribute's name before the conventions renamed it
        }
        span.setAttribute(GEN_AI_OPERATION, genAiOp);
        if (model != null && !model.isEmpty()) span.setAttribute(GEN_AI_REQUEST_MODEL, model);
        if (x.info.stream()) span.setAttribute(STREAM, true);
    }

    private static void usage(Span span, Outcome o) {
        if (!o.model().isEmpty()) span.setAttribute(GEN_AI_RESPONSE_MODEL, o.model());
        span.setAttribute(GEN_AI_INPUT_TOKENS, o.promptTokens());
        span.setAttribute(GEN_AI_OUTPUT_TOKENS, o.completionTokens());
    }

    private static String protocol(HttpServerRequest req) {
        return switch (req.version()) {
            case HTTP_1_0 -> "1.0";
            case HTTP_1_1 -> "1.1";
            case HTTP_2 -> "2";
        };
    }

    /** For tests: the service name tracing configured from {@code env} exports with. */
    static String serviceName(Map<String, String> env) {
        try (Tracing t = from(env)) {
            return t.resource == null ? null : t.resource.getAttribute(SERVICE_NAME);
        }
    }

    /** Exports what is still queued (bounded wait) and stops the SDK. */
    @Override
    public void close() {
        if (!on) return;
        sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
}
