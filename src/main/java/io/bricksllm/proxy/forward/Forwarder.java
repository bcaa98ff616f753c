package io.bricksllm.proxy.forward;

import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;

/**
 * Sends an exchange upstream and relays the answer. The whole exchange, streaming included, is bounded
 * by the request timeout: no answer in time is a 504, an unreachable upstream a 502.
 */
public final class Forwarder {
    private final Vertx vertx;
    private final HttpClient client;
    private final UpstreamRequestFactory requests;
    private final MeterFactory meters;

    public Forwarder(Vertx vertx, HttpClient client, UpstreamRequestFactory requests, MeterFactory meters) {
        this.vertx = vertx;
        this.client = client;
        this.requests = requests;
        this.meters = meters;
    }

    public Future<Outcome> forward(Exchange x) {
        UpstreamRequestFactory.UpstreamCall call = requests.build(x);
        Promise<Outcome> result = Promise.promise();
        String host = call.uri().getHost();
        HttpClientRequest[] sent = new HttpClientRequest[1];
        ResponseRelay[] relay = new ResponseRelay[1];
        long timer = vertx.setTimer(x.timeout.toMillis(), id -> {
            if (relay[0] != null) {
                relay[0].timeout();
            } else {
                result.tryFail(new Refusal.Refused(new Refusal.UpstreamTimeout("upstream " + host + " did not answer within " + x.timeout.toMillis() + " ms")));
                if (sent[0] != null) sent[0].reset();
            }
        });
        result.future().onComplete(ar -> vertx.cancelTimer(timer));
        // A caller that leaves before the upstream answers must not leave the upstream request running.
        x.request.response().closeHandler(v -> {
            if (relay[0] == null && sent[0] != null) sent[0].reset();
            if (relay[0] == null) result.tryComplete(new Outcome(499, x.info.model(), 0, 0, 0, 0, false, null, null, true));
        });
        client.request(call.options()).onComplete(ar -> {
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
            req.send(call.body()).onComplete(rar -> {
                if (rar.failed()) {
                    result.tryFail(new Refusal.Refused(new Refusal.UpstreamUnreachable("upstream " + host + " failed: connection closed")));
                    return;
                }
                if (result.future().isComplete()) return;
                var resp = rar.result();
                ResponseMeter meter = meters.meterFor(x, resp.statusCode(), resp.getHeader("Content-Type"));
                relay[0] = new ResponseRelay(x, req, resp, meter, result);
                relay[0].start();
            });
        });
        return result.future();
    }
}
