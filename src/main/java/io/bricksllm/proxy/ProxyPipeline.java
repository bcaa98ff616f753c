package io.bricksllm.proxy;

import io.bricksllm.dialect.DialectException;
import io.bricksllm.events.Event;
import io.bricksllm.events.EventSink;
import io.bricksllm.proxy.forward.Forwarder;
import io.bricksllm.route.RouteForwarder;
import io.bricksllm.store.ConfigSnapshot;
import io.bricksllm.store.LiveConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path: the stages in order — the first resolves what the request is for (endpoint, route or custom
 * provider) — as an onion (each stage that entered leaves exactly once, in reverse), then the forwarder. Every request — a 404 included — ends
 * exactly once, in {@link #end}: one answer, one {@link Outcome}, one event (once a key is known), one log line
 * and one metric. A failure anywhere (a refusal, an exception in a stage or in forwarding, a request that
 * outlives its deadline) goes through the same ending, so no reservation is ever left held.
 */
public final class ProxyPipeline implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyPipeline.class);
    /**
     * How long past its own deadline a forwarded request may run before the pipeline ends it anyway. The forwarder
     * ends every exchange at its timeout; this only catches a bug that left one without an ending.
     */
    static final Duration GRACE = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final ForwardDeadlines deadlines;
    private final LiveConfig config;
    private final List<Stage> stages;
    private final Forwarder forwarder;
    private final RouteForwarder routes;
    private final EventSink events;
    private final Clock clock;
    private final ProxyObserver observer;
    private final UnifiedModels models;
    private final KeyView keyView;
    private final io.bricksllm.telemetry.tracing.Tracing tracing;

    /** Sees every finished request (metrics, request log); must not block. */
    public interface ProxyObserver {
        void finished(Exchange x, Outcome outcome, long latencyMs);

        /** Every observer in turn; one failing does not stop the others. */
        static ProxyObserver all(ProxyObserver... observers) {
            return (x, o, l) -> {
                for (ProxyObserver obs : observers) {
                    try {
                        obs.finished(x, o, l);
                    } catch (RuntimeException e) {
                        LoggerFactory.getLogger(ProxyPipeline.class).warn("observer failed: {}", e.toString());
                    }
                }
            };
        }
    }

    public ProxyPipeline(Vertx vertx, LiveConfig config, List<Stage> stages,
                         Forwarder forwarder, RouteForwarder routes, EventSink events, Clock clock, ProxyObserver observer,
                         UnifiedModels models, KeyView keyView, io.bricksllm.telemetry.tracing.Tracing tracing) {
        this.models = models;
        this.tracing = tracing;
        this.keyView = keyView;
        this.vertx = vertx;
        this.deadlines = new ForwardDeadlines(vertx, this::overdue);
        this.config = config;
        this.stages = List.copyOf(stages);
        this.forwarder = forwarder;
        this.routes = routes;
        this.events = events;
        this.clock = clock;
        this.observer = observer;
    }

    @Override
    public void handle(HttpServerRequest req) {
        HttpServerResponse res = req.response();
        String origin = req.getHeader("Origin");
        res.putHeader("Access-Control-Allow-Origin", origin == null ? "*" : origin);
        if (req.method() == HttpMethod.OPTIONS) {
            // A CORS preflight is the browser asking, not a call of the API: answered, not logged or counted.
            String m = req.getHeader("Access-Control-Request-Method");
            String h = req.getHeader("Access-Control-Request-Headers");
            res.putHeader("Access-Control-Allow-Methods", m == null ? "*" : m)
                    .putHeader("Access-Control-Allow-Headers", h == null ? "*" : h)
                    .putHeader("Access-Control-Max-Age", "3600")
                    .setStatusCode(204).end();
            return;
        }
        ConfigSnapshot snapshot = config.current();
        Instant receivedAt = clock.instant();
        long startNanos = System.nanoTime();
        String correlationId = Event.newId(); // ThreadLocalRandom: no SecureRandom on the hot path
        req.pause();
        Exchange x = new Exchange(req, Endpoint.unmatched(req.method()), null, snapshot, receivedAt, startNanos, correlationId);
        tracing.serverStarted(x);
        enter(x, 0);
    }

    private void enter(Exchange x, int i) {
        if (i == stages.size()) {
            forward(x);
            return;
        }
        Future<Void> f;
        try {
            f = stages.get(i).enter(x);
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            if (ar.succeeded()) {
                enter(x, i + 1);
            } else if (!x.ended) {
                end(x, i - 1, refuse(x, ar.cause()));
            }
        });
    }

    /**
     * Forwards (directly or through a route) and ends the request with what came back. A failure thrown here is
     * an ending like any other; a forward that never completes is ended by a guard at its deadline plus
     * {@link #GRACE}.
     */
    private void forward(Exchange x) {
        int last = stages.size() - 1;
        Future<Outcome> f;
        try {
            watch(x);
            if (x.route != null) f = routes.forward(x);
            else if (x.answeredHere != null) f = Future.succeededFuture(x.answeredHere.answer(x));
            else if (x.endpoint.operation() == Operation.KEY_VIEW) f = keyView.answer(x); // GET /v1/key
            else if (x.endpoint.unified() && x.provider == null) f = Future.succeededFuture(models.answer(x)); // GET /v1/models
            else f = forwarder.forward(x);
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            deadlines.done(x);
            if (x.ended) return;
            end(x, last, ar.succeeded() ? ar.result() : refuse(x, ar.cause()));
        });
    }

    private void watch(Exchange x) {
        if (x.timeout == null) return;
        Duration deadline = (x.route != null ? routes.longest(x) : x.timeout).plus(GRACE);
        deadlines.watch(x, System.nanoTime() + deadline.toNanos());
    }

    /** A forwarded request still running past its deadline plus {@link #GRACE}: ended here, whatever holds it. */
    private void overdue(Exchange x) {
        if (x.ended) return;
        LOG.warn("proxy {} {} had not ended {} ms after it was received; ending it [correlationId={}]",
                x.request.method(), x.endpoint.template(), (System.nanoTime() - x.startNanos) / 1_000_000, x.correlationId);
        end(x, stages.size() - 1, refuse(x, new Refusal.Refused(new Refusal.UpstreamTimeout("request did not finish in time"))));
    }

    /** Answers the caller for a refusal (or an internal failure) and returns the outcome describing it. */
    private Outcome refuse(Exchange x, Throwable cause) {
        Refusal r;
        if (cause instanceof Refusal.Refused refused) {
            r = refused.refusal();
        } else if (cause instanceof DialectException e) {
            r = new Refusal.BadRequest(e.getMessage()); // a route step's target cannot express the request
        } else {
            LOG.error("proxy {} {} failed [correlationId={}]", x.request.method(), x.endpoint.template(), x.correlationId, cause);
            r = new Refusal.Internal("internal error");
        }
        HttpServerResponse res = x.request.response();
        if (res.headWritten() && !res.ended() && !res.closed()) {
            res.reset(); // a relayed answer broke off: the caller must not take a cut body for a whole one
        } else {
            // an answer that failed before its head went out may carry the upstream's length and encoding
            res.headers().remove("Content-Length").remove("Content-Encoding");
            RefusalWriter.write(res, r, x.callerDialect());
        }
        if (x.body == null) x.request.resume();
        return Outcome.refused(r);
    }

    /** The one ending of a request: stages leave in reverse, then the event, the log line and the metrics. */
    private void end(Exchange x, int from, Outcome outcome) {
        if (x.ended) return;
        x.ended = true;
        for (int i = from; i >= 0; i--) {
            try {
                stages.get(i).leave(x, outcome);
            } catch (RuntimeException e) {
                LOG.error("stage {} failed to leave [correlationId={}]", stages.get(i).getClass().getSimpleName(), x.correlationId, e);
            }
        }
        long latencyMs = (System.nanoTime() - x.startNanos) / 1_000_000;
        try {
            if (x.key != null) events.publish(ExchangeEvents.finished(x, outcome, latencyMs));
        } catch (RuntimeException e) {
            LOG.error("event of a finished request not recorded [correlationId={}]", x.correlationId, e);
        }
        observer.finished(x, outcome, latencyMs);
        try {
            tracing.serverEnded(x, outcome);
        } catch (RuntimeException e) {
            LOG.warn("server span not ended: {} [correlationId={}]", e.toString(), x.correlationId);
        }
    }
}
