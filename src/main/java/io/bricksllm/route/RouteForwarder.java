package io.bricksllm.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.config.GoDuration;
import io.bricksllm.events.EventSink;
import io.bricksllm.limits.Micros;
import io.bricksllm.metering.Cost;
import io.bricksllm.metering.CostCalculator;
import io.bricksllm.metering.OpenAiUsage;
import io.bricksllm.metering.ResponseMeta;
import io.bricksllm.metering.Usage;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.Providers;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.ExchangeEvents;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.RequestInfo;
import io.bricksllm.proxy.forward.Attempt;
import io.bricksllm.proxy.forward.Forwarder;
import io.bricksllm.proxy.translate.Translations;
import io.bricksllm.proxy.meter.Pricing;
import io.bricksllm.store.Json;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.Route;
import io.bricksllm.store.RouteStep;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import io.bricksllm.route.balance.Strategy;
import io.bricksllm.route.balance.TargetGroup;
import io.bricksllm.route.balance.TargetGroups;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * Runs a route: cache lookup, then each step in order with {@code retries + 1} attempts (each bounded by the
 * step timeout, spaced by the retry policy), failing over to the next step; the first 2xx answer is streamed
 * to the caller and, when the route caches, stored. Every attempt that reached an upstream is recorded.
 *
 * <p>Smart routing (issue 22): a group step's attempt goes to a target its group picks ({@link AttemptTarget}), whose
 * end is reported back for health and latency; an answer of an error class the route has a fallback for jumps to that
 * step; a key over its budget share starts at the budget step. Each attempt's event says why it was made.
 */
public final class RouteForwarder {
    private final Vertx vertx;
    private final Forwarder forwarder;
    private final Providers providers;
    private final Translations translations;
    private final RetryPolicy retry;
    private final ResponseCache cache;
    private final EventSink events;
    private final CostCalculator costs;
    private final TargetGroups groups;
    private final BudgetShare budget;

    /** The header a request may name another strategy in, where its route allows it ({@code allowStrategyOverride}). */
    public static final String STRATEGY_HEADER = "x-bricksllm-route-strategy";

    public RouteForwarder(Vertx vertx, Forwarder forwarder, Providers providers, Translations translations, RetryPolicy retry,
                          ResponseCache cache, EventSink events, CostCalculator costs, TargetGroups groups, BudgetShare budget) {
        this.groups = groups;
        this.budget = budget;
        this.vertx = vertx;
        this.forwarder = forwarder;
        this.providers = providers;
        this.translations = translations;
        this.retry = retry;
        this.cache = cache;
        this.events = events;
        this.costs = costs;
    }

    public Future<Outcome> forward(Exchange x) {
        Route route = x.route;
        if (!route.cacheConfig().enabled()) return new Run(x, null).start();
        String key = CacheKey.of(route, x.info.json());
        return cache.get(key).compose(hit -> hit.isPresent() ? Future.succeededFuture(serveCached(x, hit.get())) : new Run(x, key).start(),
                err -> new Run(x, key).start()); // a cache outage must not fail the request
    }

    private Outcome serveCached(Exchange x, CachedResponse hit) {
        x.answeredBy = "cached";
        HttpServerResponse out = x.request.response();
        out.setStatusCode(hit.status());
        if (hit.contentType() != null) out.putHeader("Content-Type", hit.contentType());
        out.putHeader("X-BricksLLM-Cache", "hit");
        out.end(Buffer.buffer(hit.body()));
        return new Outcome(hit.status(), x.info.model(), 0, 0, 0, 0, false,
                x.key.shouldLogResponse() ? hit.body() : null, null, false);
    }

    /** The state of one route execution; confined to the request's event loop. */
    private final class Run {
        private final Exchange x;
        private final Route route;
        private final String cacheKey;
        private final Promise<Outcome> result = Promise.promise();
        private final List<String> tried = new ArrayList<>();
        private Attempt.Answered lastAnswer;
        private RouteStep lastAnswerStep;
        private Exchange lastAnswerExchange;
        private int step;
        private int attempt = 1;
        /** Why the next attempt is made (its event's attemptReason). */
        private String reason = "initial";
        /** Positions of the current group step's targets that failed in this run: retries go elsewhere first. */
        private final Set<Integer> failedTargets = new HashSet<>();
        /** Each error class falls back once per run, so fallbacks cannot loop. */
        private final Set<ErrorClass> fellBack = EnumSet.noneOf(ErrorClass.class);
        private String strategyOverride = "";

        Run(Exchange x, String cacheKey) {
            this.x = x;
            this.route = x.route;
            this.cacheKey = cacheKey;
        }

        Future<Outcome> start() {
            String override = x.request.getHeader(STRATEGY_HEADER);
            // a route that does not allow the override ignores the header: a client may send it to every route
            if (override != null && route.allowStrategyOverride()) {
                if (!Strategy.NAMES.contains(override)) {
                    return Refusal.fail(new Refusal.BadRequest(STRATEGY_HEADER + " must be one of " + new java.util.TreeSet<>(Strategy.NAMES)));
                }
                strategyOverride = override;
            }
            var fallback = route.budgetFallback();
            if (fallback == null || budget == null || route.stepIndex(fallback.step()) < 0) {
                next();
            } else {
                io.vertx.core.Context loop = vertx.getOrCreateContext(); // the request's: the run stays confined to it
                budget.percentSpent(x).onComplete(ar -> loop.runOnContext(v -> {
                    // an unreadable budget leaves the route as configured: the fallback is a saving, not a limit
                    if (ar.succeeded() && ar.result() >= fallback.percent()) {
                        step = route.stepIndex(fallback.step());
                        reason = "budget";
                    }
                    next();
                }));
            }
            return result.future();
        }

        /** One attempt; a failure thrown while preparing it fails the run (the pipeline then ends the request). */
        private void next() {
            try {
                attempt();
            } catch (RuntimeException e) {
                result.tryFail(e);
            }
        }

        private void attempt() {
            if (x.request.response().closed()) {
                result.tryComplete(new Outcome(499, x.info.model(), 0, 0, 0, 0, false, null, null, true));
                return;
            }
            AttemptTarget target = AttemptTarget.choose(x, groups, step, failedTargets, strategyOverride);
            if (target == null) { // every target of the group is cooling down
                tried.add(stepLabel() + " (every target cooling down)");
                failOver();
                return;
            }
            RouteStep s = target.step();
            Provider provider = providers.get(s.provider()).orElseThrow();
            ProviderSetting setting = target.setting();
            JsonNode body = stepBody(x.info.json(), s);
            RequestInfo info = new RequestInfo(s.model(), x.info.stream(), x.info.userId(), x.info.includeUsageRequested(),
                    x.info.maxOutputTokens(), body);
            Exchange ax = x.forAttempt(provider, setting, info, x.body);
            // every step is written for its own provider's dialect and its answer read back as OpenAI's
            ax.translation = translations.of(x.endpoint.operation(), provider, s.model(), s.params());
            if (cacheKey != null) ax.responseCapture = Buffer.buffer();
            var call = forwarder.requests().build(ax);
            Duration timeout = min(GoDuration.parse(s.timeout().isEmpty() ? "5m" : s.timeout()), x.timeout);
            long t0 = System.nanoTime();
            tried.add(s.provider() + "/" + s.model() + " attempt " + attempt);
            ax.attemptReason = reason;
            if (target.group() != null) target.group().started(target.index());
            forwarder.attempt(ax, call, timeout, status -> status / 100 == 2).onComplete(ar -> {
                try {
                    if (target.group() != null) report(target, ar, ax, t0);
                    attempted(ax, s, ar, (System.nanoTime() - t0) / 1_000_000);
                } catch (RuntimeException e) {
                    result.tryFail(e);
                }
            });
        }

        private void attempted(Exchange ax, RouteStep s, io.vertx.core.AsyncResult<Attempt> ar, long ms) {
            if (ar.succeeded() && ar.result() instanceof Attempt.Relayed relayed) {
                succeeded(ax, s, relayed.outcome());
            } else if (ar.succeeded() && ar.result() instanceof Attempt.Answered answer) {
                x.extraCostMicros += recordAttempt(ax, s, answer.status(), answer.body(), ms);
                lastAnswer = answer;
                lastAnswerStep = s;
                lastAnswerExchange = ax;
                if (fellBack(answer)) return;
                if (RetryPolicy.retryable(route, answer.status())) retryOrFailOver(s);
                else answerWith(answer, s, ax);
            } else if (ar.failed() && !(ar.cause() instanceof Refusal.Refused)) {
                result.tryFail(ar.cause()); // a failure of the gateway itself: retrying elsewhere would hide it
            } else {
                recordAttempt(ax, s, ((Refusal.Refused) ar.cause()).refusal().status(), null, ms);
                retryOrFailOver(s);
            }
        }

        /**
         * Jumps to the step the route names for the answer's error class, once per class; false when the answer has no
         * class, the route no fallback for it, or it was used already.
         */
        private boolean fellBack(Attempt.Answered answer) {
            if (route.fallbacks().isEmpty()) return false;
            ErrorClass cls = ErrorClass.of(answer.status(), answer.body()).orElse(null);
            if (cls == null || !route.fallbacks().containsKey(cls.label()) || !fellBack.add(cls)) return false;
            int to = route.stepIndex(route.fallbacks().get(cls.label()));
            if (to < 0) return false;
            step = to;
            attempt = 1;
            failedTargets.clear();
            reason = cls.label();
            next();
            return true;
        }

        /** Tells the group how its target's attempt ended: health counts failover conditions, latency the answers. */
        private void report(AttemptTarget target, io.vertx.core.AsyncResult<Attempt> ar, Exchange ax, long t0) {
            boolean failed = ar.failed() || ar.result() instanceof Attempt.Answered a && RetryPolicy.retryable(route, a.status());
            long firstByte = ax.upstreamAnsweredNanos > 0 ? (ax.upstreamAnsweredNanos - t0) / 1_000_000 : -1;
            if (failed) failedTargets.add(target.index());
            target.group().finished(target.index(), failed ? TargetGroup.Result.FAILED : TargetGroup.Result.ANSWERED, firstByte);
        }

        private String stepLabel() {
            RouteStep s = route.steps().get(step);
            return s.name().isEmpty() ? "step " + (step + 1) : s.name();
        }

        private void succeeded(Exchange ax, RouteStep s, Outcome o) {
            x.attemptReason = ax.attemptReason;
            x.answeredBy = s.provider();
            x.routeStep = step + 1;
            x.routeAttempt = attempt;
            if (cacheKey != null && ax.upstreamCompleted && o.status() == 200 && ax.responseCapture != null) {
                cache.put(cacheKey, new CachedResponse(200, ax.responseContentType, ax.responseCapture.getBytes()),
                        GoDuration.parse(route.cacheConfig().ttl()));
            }
            result.tryComplete(o);
        }

        private void retryOrFailOver(RouteStep s) {
            if (attempt < s.retries() + 1) {
                Duration delay = retry.delay(route, s, attempt);
                attempt++;
                reason = "retry";
                if (delay.isZero()) next();
                else vertx.setTimer(Math.max(1, delay.toMillis()), id -> next());
                return;
            }
            failOver();
        }

        private void failOver() {
            if (step + 1 < route.steps().size()) {
                step++;
                attempt = 1;
                failedTargets.clear();
                reason = "failover";
                next();
                return;
            }
            if (lastAnswer != null) {
                answerWith(lastAnswer, lastAnswerStep, lastAnswerExchange);
            } else {
                result.tryFail(new Refusal.Refused(new Refusal.UpstreamUnreachable(
                        "every route step failed without an answer; tried " + String.join(", ", tried))));
            }
        }

        /** The caller gets this upstream answer as it was (status, content type, body). */
        private void answerWith(Attempt.Answered answer, RouteStep s, Exchange ax) {
            x.attemptReason = ax.attemptReason;
            x.answeredBy = s.provider();
            x.routeStep = step + 1;
            x.routeAttempt = attempt;
            Buffer body = ax.translation.rewrite(ax, answer.status(), answer.headers(), answer.body());
            boolean rewritten = body != answer.body();
            HttpServerResponse out = x.request.response();
            if (!out.ended() && !out.closed()) {
                out.setStatusCode(answer.status());
                String ct = rewritten ? "application/json" : answer.headers().get("Content-Type");
                if (ct != null) out.putHeader("Content-Type", ct);
                out.end(body);
            }
            // its cost (if the provider billed it) was recorded on the attempt's own event
            result.tryComplete(new Outcome(answer.status(), s.model(), 0, 0, 0, 0, false,
                    x.key.shouldLogResponse() ? body.getBytes() : null, null, false));
        }

        /** An event for an attempt that did not produce the answer; returns the spend it caused. */
        private long recordAttempt(Exchange ax, RouteStep s, int status, Buffer body, long latencyMs) {
            Cost cost = Cost.FREE;
            long prompt = 0;
            long completion = 0;
            String anomaly = "";
            if (body != null && body.length() > 0) {
                ResponseMeta meta = OpenAiUsage.fromResponse(body.getBytes());
                if (meta.usage().isPresent()) {
                    // nothing was delivered to count: implausible counts of a failed attempt are charged as 0
                    Pricing.Bounded b = Pricing.bounded(ax, s.model(), meta.usage().get(), () -> Usage.of(0, 0));
                    var u = b.usage();
                    anomaly = b.anomaly();
                    prompt = u.inputTokens();
                    completion = u.outputTokens();
                    cost = costs.cost(ax.provider.priceProvider(), s.model(), u, Pricing.overrideOf(x.routeSettings.get(s.provider())));
                }
            }
            long micros = Micros.of(cost.usd());
            ax.answeredBy = s.provider();
            ax.routeStep = step + 1;
            ax.routeAttempt = attempt;
            events.publish(ExchangeEvents.attempt(ax, new Outcome(status, s.model(), prompt, completion, cost.usd().doubleValue(),
                    micros, cost.unpriced(), null, null, false, anomaly), latencyMs));
            return micros;
        }
    }

    /**
     * The longest a route run may take for this exchange: every attempt of every step at its timeout, plus the
     * waits between retries (an exponential wait counted at its cap). The pipeline ends a run that outlives it.
     */
    public Duration longest(Exchange x) {
        Duration total = Duration.ZERO;
        for (RouteStep s : x.route.steps()) {
            Duration timeout = min(GoDuration.parse(s.timeout().isEmpty() ? "5m" : s.timeout()), x.timeout);
            // a step an error-class fallback jumps back to may run twice
            long runs = x.route.fallbacks().containsValue(s.name()) && !s.name().isEmpty() ? 2 : 1;
            total = total.plus(timeout.multipliedBy((s.retries() + 1L) * runs));
            Duration wait = "exponential".equals(x.route.retryStrategy()) ? RetryPolicy.EXPONENTIAL_CAP
                    : s.retryInterval().isEmpty() ? RetryPolicy.DEFAULT_INTERVAL : GoDuration.parse(s.retryInterval());
            total = total.plus(wait.multipliedBy(Math.max(0, s.retries())));
        }
        return total;
    }

    /** The caller's body with the step's model and request parameters. */
    static JsonNode stepBody(JsonNode caller, RouteStep s) {
        ObjectNode body = caller instanceof ObjectNode o ? o.deepCopy() : Json.MAPPER.createObjectNode();
        body.put("model", s.model());
        for (Map.Entry<String, JsonNode> p : s.requestParams().entrySet()) body.set(p.getKey(), p.getValue());
        return body;
    }

    private static Duration min(Duration a, Duration b) {
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }

}
