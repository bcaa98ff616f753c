package io.bricksllm.proxy;

import io.bricksllm.events.Event;
import io.bricksllm.events.EventSink;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.Providers;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.provider.custom.CustomRoutes;
import io.bricksllm.proxy.forward.Forwarder;
import io.bricksllm.route.RouteForwarder;
import io.bricksllm.route.RouteRoutes;
import io.bricksllm.store.ConfigSnapshot;
import io.bricksllm.store.Route;
import java.util.Map;
import io.bricksllm.store.LiveConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path: catalogue match, then the stages in order (an onion: each stage that entered
 * leaves exactly once, in reverse), then the forwarder; one {@link Outcome}, one event.
 */
public final class ProxyPipeline implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyPipeline.class);

    private final EndpointCatalogue catalogue;
    private final Providers providers;
    private final LiveConfig config;
    private final List<Stage> stages;
    private final Forwarder forwarder;
    private final RouteForwarder routes;
    private final EventSink events;
    private final Clock clock;
    private final ProxyObserver observer;

    /** Sees every finished request (metrics, request log); must not block. */
    public interface ProxyObserver {
        void finished(Exchange x, Outcome outcome, long latencyMs);

        ProxyObserver NONE = (x, o, l) -> {};

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

    public ProxyPipeline(EndpointCatalogue catalogue, Providers providers, LiveConfig config, List<Stage> stages,
                         Forwarder forwarder, RouteForwarder routes, EventSink events, Clock clock, ProxyObserver observer) {
        this.catalogue = catalogue;
        this.providers = providers;
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
            String m = req.getHeader("Access-Control-Request-Method");
            String h = req.getHeader("Access-Control-Request-Headers");
            res.putHeader("Access-Control-Allow-Methods", m == null ? "*" : m)
                    .putHeader("Access-Control-Allow-Headers", h == null ? "*" : h)
                    .putHeader("Access-Control-Max-Age", "3600")
                    .setStatusCode(204).end();
            return;
        }
        ConfigSnapshot snapshot = config.current();
        Endpoint endpoint;
        Map<String, String> params;
        Provider provider;
        Route route = null;
        if (RouteRoutes.handles(req.path())) {
            RouteRoutes.Resolved r;
            try {
                r = RouteRoutes.resolve(req.method(), req.path(), snapshot);
            } catch (Refusal.Refused refused) {
                RefusalWriter.write(res, refused.refusal(), UsageDialect.OPENAI);
                return;
            }
            endpoint = r.endpoint();
            params = Map.of();
            provider = RouteRoutes.PROVIDER;
            route = r.route();
        } else if (CustomRoutes.handles(req.path())) {
            CustomRoutes.Resolved r;
            try {
                r = CustomRoutes.resolve(req.method(), req.path(), snapshot);
            } catch (Refusal.Refused refused) {
                RefusalWriter.write(res, refused.refusal(), UsageDialect.OPENAI);
                return;
            }
            endpoint = r.endpoint();
            params = r.params();
            provider = r.provider();
        } else {
            Optional<EndpointCatalogue.Match> match = catalogue.match(req.method(), req.path());
            provider = match.flatMap(m -> providers.get(m.endpoint().provider())).orElse(null);
            if (provider == null) {
                ProxyErrors.write(res, 404, "route not supported", "not_found_error");
                return;
            }
            endpoint = match.get().endpoint();
            params = match.get().params();
        }
        req.pause();
        Exchange x = new Exchange(req, endpoint, params, provider, snapshot, clock.instant(), System.nanoTime(),
                Event.newId()); // ThreadLocalRandom: no SecureRandom on the hot path
        x.route = route;
        enter(x, 0);
    }

    private void enter(Exchange x, int i) {
        if (i == stages.size()) {
            (x.route != null ? routes.forward(x) : forwarder.forward(x)).onComplete(ar -> {
                Outcome o = ar.succeeded() ? ar.result() : refuse(x, ar.cause());
                unwind(x, i - 1, o);
            });
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
            } else {
                unwind(x, i - 1, refuse(x, ar.cause()));
            }
        });
    }

    /** Answers the caller for a refusal (or an internal failure) and returns the outcome describing it. */
    private Outcome refuse(Exchange x, Throwable cause) {
        Refusal r;
        if (cause instanceof Refusal.Refused refused) {
            r = refused.refusal();
        } else {
            LOG.error("proxy {} {} failed [correlationId={}]", x.request.method(), x.endpoint.template(), x.correlationId, cause);
            r = new Refusal.Unavailable("internal error");
            RefusalWriter.write(x.request.response(), r, x.provider.dialect());
            x.statusSent = 500;
            if (x.body == null) x.request.resume();
            return new Outcome(500, x.info.model(), 0, 0, 0, 0, false, null, r, false);
        }
        RefusalWriter.write(x.request.response(), r, x.provider.dialect());
        x.statusSent = r.status();
        if (x.body == null) x.request.resume();
        return Outcome.refused(r);
    }

    private void unwind(Exchange x, int from, Outcome outcome) {
        for (int i = from; i >= 0; i--) {
            try {
                stages.get(i).leave(x, outcome);
            } catch (RuntimeException e) {
                LOG.error("stage {} failed to leave [correlationId={}]", stages.get(i).getClass().getSimpleName(), x.correlationId, e);
            }
        }
        long latencyMs = (System.nanoTime() - x.startNanos) / 1_000_000;
        if (x.key != null) events.publish(event(x, outcome, latencyMs));
        observer.finished(x, outcome, latencyMs);
    }

    private Event event(Exchange x, Outcome o, long latencyMs) {
        Buffer recorded = x.bodyToRecord();
        byte[] request = x.key.shouldLogRequest() && recorded != null && recorded.length() > 0 ? recorded.getBytes() : null;
        return new Event(Event.newId(), x.receivedAt.getEpochSecond(), x.key.tags(), x.key.keyId(),
                o.costUsd(), x.answeredBy != null ? x.answeredBy : x.endpoint.provider(),
                o.model().isEmpty() ? x.info.model() : o.model(), o.status(), o.promptTokens(), o.completionTokens(), latencyMs,
                x.request.path(), x.request.method().name(), x.customId, request, o.responseBody(), x.info.userId(),
                x.policyAction, x.key.policyId(), x.route == null ? "" : x.route.id(), x.correlationId, x.metadata,
                o.unpriced(), x.routeStep, x.routeAttempt, x.policyFindings);
    }
}
