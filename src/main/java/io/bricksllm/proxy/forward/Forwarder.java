package io.bricksllm.proxy.forward;

import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.time.Duration;
import java.util.function.IntPredicate;

/**
 * Sends an exchange upstream and relays the answer. The whole exchange, streaming included, is bounded
 * by the request timeout: no answer in time is a 504, an unreachable upstream a 502.
 */
public final class Forwarder {
    private static final int MAX_KEPT_BACK = 1 << 20;

    private final Vertx vertx;
    private final HttpClient client;
    private final UpstreamRequestFactory requests;
    private final MeterFactory meters;
    private final io.bricksllm.telemetry.tracing.Tracing tracing;
    private final boolean costHeaders;
    private final UpstreamLatency upstreamLatency;

    /** Where each attempt's upstream time goes (the {@code bricksllm_proxy_upstream_latency_seconds} histogram). */
    @FunctionalInterface
    public interface UpstreamLatency {
        UpstreamLatency NONE = (provider, template, nanos) -> {};

        void record(String provider, String template, long nanos);
    }

    public Forwarder(Vertx vertx, HttpClient client, UpstreamRequestFactory requests, MeterFactory meters) {
        this(vertx, client, requests, meters, io.bricksllm.telemetry.tracing.Tracing.OFF, false, UpstreamLatency.NONE);
    }

    /**
     * {@code costHeaders} (RESPONSE_COST_HEADERS): a metered JSON answer is held (bounded) until it is read whole, so
     * its cost and tokens go in its headers. {@code tracing} ends each attempt's CLIENT span (started when its request was built) when the attempt settles. */
    public Forwarder(Vertx vertx, HttpClient client, UpstreamRequestFactory requests, MeterFactory meters,
                     io.bricksllm.telemetry.tracing.Tracing tracing, boolean costHeaders, UpstreamLatency upstreamLatency) {
        this.tracing = tracing;
        this.upstreamLatency = upstreamLatency;
        this.costHeaders = costHeaders;
        this.vertx = vertx;
        this.client = client;
        this.requests = requests;
        this.meters = meters;
    }

    public Future<Outcome> forward(Exchange x) {
        return attempt(x, requests.build(x), x.timeout, status -> true)
                .map(a -> ((Attempt.Relayed) a).outcome());
    }

    public UpstreamRequestFactory requests() {
        return requests;
    }

    /**
     * One upstream call bounded by {@code timeout}. A response whose status passes {@code relay} is streamed to
     * the caller; any other is read (bounded) and handed back so the caller can retry elsewhere. Fails with
     * {@link Refusal.Refused} (502/504) when no response came.
     */
    public Future<Attempt> attempt(Exchange x, UpstreamRequestFactory.UpstreamCall call, Duration timeout, IntPredicate relay) {
        Promise<Attempt> result = Promise.promise();
        try {
            start(x, call, timeout, relay, result);
        } catch (RuntimeException e) {
            result.tryFail(e);
        }
        return result.future();
    }

    /**
     * Every callback below ends in {@code result}: an exception inside one (a meter that throws, a bug) fails it,
     * so the pipeline ends the request instead of leaving it unanswered with its reservation held.
     */
    private void start(Exchange x, UpstreamRequestFactory.UpstreamCall call, Duration timeout, IntPredicate relay,
                       Promise<Attempt> result) {
        String host = call.target().host();
        HttpClientRequest[] sent = new HttpClientRequest[1];
        ResponseRelay[] relayed = new ResponseRelay[1];
        // Vert.x timers count whole milliseconds from 1: a shorter timeout (refused at admission) must not throw here
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> guarded(result, () -> {
            if (relayed[0] != null) {
                relayed[0].timeout();
            } else {
                result.tryFail(new Refusal.Refused(new Refusal.UpstreamTimeout("upstream " + host + " did not answer within " + timeout.toMillis() + " ms")));
                if (sent[0] != null) sent[0].reset();
            }
        }));
        long startedAt = System.nanoTime();
        result.future().onComplete(ar -> {
            vertx.cancelTimer(timer);
            tracing.clientEnded(x, ar); // in the same callback: nothing more allocated per attempt when tracing is off
            // the upstream's time to a whole answer: not for calls that never got one, nor answers the caller cut short
            if (ar.succeeded() && !(ar.result() instanceof Attempt.Relayed r && r.outcome().clientAborted())) {
                upstreamLatency.record(x.providerName(), x.endpoint.template(), System.nanoTime() - startedAt);
            }
        });
        // A caller that left during admission (a long policy scan, a slow limit store) is not forwarded: a close
        // handler set now would never run, and its reservation would be held until the upstream answered.
        if (x.request.response().closed()) {
            result.tryComplete(new Attempt.Relayed(new Outcome(499, x.info.model(), 0, 0, 0, 0, false, null, null, true)));
            return;
        }
        // A caller that leaves before the upstream answers must not leave the upstream request running.
        x.request.response().closeHandler(v -> guarded(result, () -> {
            if (relayed[0] != null) return;
            // settle as 499 first: resetting the upstream request fails its send, which must not read as a 502
            result.tryComplete(new Attempt.Relayed(new Outcome(499, x.info.model(), 0, 0, 0, 0, false, null, null, true)));
            if (sent[0] != null) sent[0].reset();
        }));
        client.request(call.options()).onComplete(ar -> guarded(result, () -> {
            if (ar.failed()) {
                result.tryFail(new Refusal.Refused(new Refusal.UpstreamUnreachable("upstream " + host + " is unreachable")));
                return;
            }
            HttpClientRequest req = ar.result();
            sent[0] = req;
            if (result.future().isComplete()) {
                req.reset();
                return;
            }
            req.send(call.body()).onComplete(rar -> guarded(result, () -> {
                if (rar.failed()) {
                    result.tryFail(new Refusal.Refused(new Refusal.UpstreamUnreachable("upstream " + host + " failed: connection closed")));
                    return;
                }
                if (result.future().isComplete()) return;
                HttpClientResponse resp = rar.result();
                x.upstreamAnsweredNanos = System.nanoTime(); // time to first byte, for latency-aware routing
                if (!relay.test(resp.statusCode())) {
                    readKeptBack(resp, result);
                    return;
                }
                ResponseMeter meter = x.translation == null ? null : x.translation.answer(x, resp.statusCode(), resp.headers());
                if (meter == null) meter = meters.meterFor(x, resp.statusCode(), resp.getHeader("Content-Type"));
                Promise<Outcome> outcome = Promise.promise();
                outcome.future().onComplete(o -> {
                    if (o.succeeded()) result.tryComplete(new Attempt.Relayed(o.result()));
                    else result.tryFail(o.cause());
                });
                relayed[0] = new ResponseRelay(x, req, resp, meter, outcome, costHeaders);
                relayed[0].start();
            }));
        }));
    }

    private static void guarded(Promise<Attempt> result, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            result.tryFail(e);
        }
    }

    private static void readKeptBack(HttpClientResponse resp, Promise<Attempt> result) {
        Buffer body = Buffer.buffer();
        resp.handler(chunk -> {
            if (body.length() + chunk.length() <= MAX_KEPT_BACK) body.appendBuffer(chunk);
        });
        resp.exceptionHandler(err -> result.tryComplete(new Attempt.Answered(resp.statusCode(), resp.headers(), body)));
        resp.endHandler(v -> result.tryComplete(new Attempt.Answered(resp.statusCode(), resp.headers(), body)));
    }
}
