package io.bricksllm.proxy;

import io.bricksllm.events.Event;
import io.vertx.core.buffer.Buffer;

/** The one place an {@link Event} is built from an exchange: a finished request, or one failed attempt of a route. */
public final class ExchangeEvents {
    private ExchangeEvents() {}

    /**
     * The event of a request the pipeline ended; carries the request body when the key logs requests — the one to
     * record, with the values a policy detected masked ({@link Exchange#bodyToRecord()}).
     */
    public static Event finished(Exchange x, Outcome o, long latencyMs) {
        Buffer body = x.bodyToRecord();
        byte[] request = x.key.shouldLogRequest() && body != null && body.length() > 0 ? body.getBytes() : null;
        return event(x, o, latencyMs, request);
    }

    /**
     * The event of a route attempt that did not produce the answer; {@code attempt} is the attempt's own exchange
     * (its provider in {@code answeredBy}, its step and attempt numbers set). No bodies: the answer's event has them.
     */
    public static Event attempt(Exchange attempt, Outcome o, long latencyMs) {
        return event(attempt, o, latencyMs, null);
    }

    private static Event event(Exchange x, Outcome o, long latencyMs, byte[] request) {
        return new Event(Event.newId(), x.receivedAt.getEpochSecond(), x.key.tags(), x.key.keyId(),
                o.costUsd(), x.providerName(),
                o.model().isEmpty() ? x.info.model() : o.model(), o.status(), o.promptTokens(), o.completionTokens(), latencyMs,
                x.request.path(), x.request.method().name(), x.customId, request, o.responseBody(), x.info.userId(),
                x.policyAction, x.key.policyId(), x.route == null ? "" : x.route.id(), x.correlationId, x.metadata,
                o.unpriced(), x.routeStep, x.routeAttempt, x.policyFindings, o.usageAnomaly(), o.cacheReadTokens(),
                o.cacheWriteTokens(), o.reasoningTokens(), x.teamId(), x.attemptReason);
    }
}
