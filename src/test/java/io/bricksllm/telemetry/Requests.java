package io.bricksllm.telemetry;

import io.bricksllm.proxy.Endpoint;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.RequestInfo;
import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.util.Map;

/** Synthetic finished requests for {@link ProxyMetrics#finished}: only the fields the observer reads are set. */
final class Requests {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String MESSAGES = "/api/providers/anthropic/v1/messages";
    static final String FILE = "/api/providers/openai/v1/files/:file_id";

    private Requests() {}

    static Exchange exchange(String provider, String template, String requestedModel) {
        Endpoint e = Endpoint.json(HttpMethod.POST, template, provider, Operation.CHAT);
        Exchange x = new Exchange(null, e, null, null, Instant.EPOCH, 0, "test");
        x.info = new RequestInfo(requestedModel, false, "", false, 0, null);
        return x;
    }

    /** {@code x} as authenticated with a key of this id in this team ("" = none). */
    static Exchange withKey(Exchange x, String keyId, String teamId) {
        x.key = new io.bricksllm.store.ApiKey("n", 0, 0, java.util.List.of(), keyId, false, "hash", "", 0, 0, "", 0, "", "", "",
                java.util.List.of(), java.util.List.of(), false, false, false, "", false, null, 0, 0, teamId);
        return x;
    }

    static Outcome ok(int status, String model, long prompt, long completion, double costUsd) {
        return new Outcome(status, model, prompt, completion, costUsd, Math.round(costUsd * 1_000_000), false, null, null, false);
    }

    static Outcome unpriced(String model, long prompt, long completion) {
        return new Outcome(200, model, prompt, completion, 0, 0, true, null, null, false);
    }

    static Outcome refused(Refusal r) {
        return Outcome.refused(r);
    }
}
