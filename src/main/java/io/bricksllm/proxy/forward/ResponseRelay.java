package io.bricksllm.proxy.forward;

import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.proxy.Refusal;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;

/**
 * Relays an upstream response to the caller as it arrives (status, headers, body chunk by chunk with
 * back-pressure), feeding each chunk to the meter on the side. Settles the outcome exactly once on every
 * ending: upstream end, upstream failure mid-body, client disconnect, or the exchange timeout.
 */
final class ResponseRelay {
    private static final int MAX_LOGGED_RESPONSE = 8 << 20;
    private static final int MAX_CAPTURE = 4 << 20;
    private static final int MAX_HELD = 64 << 10;
    /**
     * The most of a JSON answer held back so its cost can go in its headers (RESPONSE_COST_HEADERS): the meter reads
     * the whole body anyway; a bigger answer (a large embeddings batch) is relayed as it comes, without the headers.
     */
    static final int MAX_HELD_FOR_COST = 8 << 20;

    private final Exchange x;
    private final HttpClientRequest upstreamRequest;
    private final HttpClientResponse upstream;
    private final ResponseMeter meter;
    private final Promise<Outcome> result;
    private final boolean sse;
    private final BodyChunks logged;
    private final Context context;
    private boolean finished;
    /** The meter writes the answer in another dialect (its length, encoding and type are not the caller's). */
    private final boolean rewritten;
    /**
     * Body chunks received in this turn of the event loop, written to the caller once at its end: a stream's events
     * often arrive several per read, and writing each with its own system call cost more than the rest of the relay.
     * Kept as a list and joined once (joining chunk by chunk copied quadratically when a resumed upstream delivered
     * hundreds at once), and written at once past {@link #MAX_HELD} so back-pressure stays fine-grained.
     */
    private final ArrayList<Buffer> held = new ArrayList<>(4);
    private int heldBytes;
    private boolean flushScheduled;
    /** The whole JSON answer is held until the meter has read it, so its cost headers precede it. */
    private boolean holdForCost;

    ResponseRelay(Exchange x, HttpClientRequest upstreamRequest, HttpClientResponse upstream, ResponseMeter meter,
                  Promise<Outcome> result) {
        this(x, upstreamRequest, upstream, meter, result, false);
    }

    /** {@code costHeaders}: a metered JSON answer carries its cost and tokens in {@code x-bricksllm-*} headers. */
    ResponseRelay(Exchange x, HttpClientRequest upstreamRequest, HttpClientResponse upstream, ResponseMeter meter,
                  Promise<Outcome> result, boolean costHeaders) {
        this.x = x;
        this.upstreamRequest = upstreamRequest;
        this.upstream = upstream;
        this.meter = meter;
        this.result = result;
        String ct = meter.contentType() != null ? meter.contentType() : upstream.getHeader("Content-Type");
        this.sse = ct != null && ct.startsWith("text/event-stream");
        this.rewritten = meter.contentType() != null;
        x.responseContentType = ct;
        this.logged = x.key != null && x.key.shouldLogResponse() ? new BodyChunks(MAX_LOGGED_RESPONSE) : null;
        this.context = Vertx.currentContext();
        this.holdForCost = costHeaders && !sse && meter != ResponseMeter.NONE && upstream.statusCode() / 100 == 2
                && ct != null && ct.regionMatches(true, 0, "application/json", 0, 16);
    }

    void start() {
        HttpServerResponse out = x.request.response();
        boolean keepLength = !rewritten && !(sse && (x.usageChunkInjected || x.streamLengthChanges));
        out.setStatusCode(upstream.statusCode());
        HeaderRules.copyResponseHeaders(upstream.headers(), out.headers(), keepLength);
        if (rewritten) { // another dialect's answer: its length, encoding and type are not the caller's
            out.headers().remove("Content-Length").remove("Content-Encoding").remove("x-amzn-ErrorType");
            out.putHeader("Content-Type", x.responseContentType);
        }
        if (!out.headers().contains("Content-Length")) out.setChunked(true);
        upstream.handler(chunk -> guarded(() -> {
            if (finished) return;
            Buffer forward = meter.onChunk(chunk);
            capture(rewritten ? forward : chunk); // a rewritten answer is logged as the caller got it
            if (x.responseCapture != null) {
                if (x.responseCapture.length() + forward.length() > MAX_CAPTURE) x.responseCapture = null;
                else x.responseCapture.appendBuffer(forward);
            }
            if (forward.length() > 0) hold(forward);
        }));
        upstream.endHandler(v -> guarded(() -> {
            if (finished) return;
            x.upstreamCompleted = true; // before onEnd: a rewriting meter writes a stream's trailer only for a whole one
            Buffer tail = meter.onEnd();
            if (rewritten) capture(tail);
            if (x.responseCapture != null && x.responseCapture.length() + tail.length() <= MAX_CAPTURE) x.responseCapture.appendBuffer(tail);
            if (holdForCost && !out.headWritten()) costHeaders(out, meter.reading());
            out.end(takeHeld(tail));
            settle(false);
        }));
        upstream.exceptionHandler(err -> guarded(() -> {
            if (finished) return;
            if (failBeforeHead(new Refusal.UpstreamUnreachable("upstream connection failed before the answer was complete"))) return;
            endAfterUpstreamFailure("upstream connection failed: " + err.getMessage());
            settle(false);
        }));
        out.closeHandler(v -> guarded(() -> {
            held.clear();
            heldBytes = 0;
            if (finished) return;
            // finished before the reset: resetting fails the upstream response at once, and its handler must not
            // settle this as an upstream failure (the caller left; metrics and the server span say so)
            finished = true;
            upstreamRequest.reset();
            meter.onEnd();
            settle(true);
        }));
    }

    /**
     * Runs a handler; if it throws (a meter failing on an odd body, a bug) the relay stops, the upstream request is
     * reset and the outcome fails with the cause, so the pipeline answers and ends the request.
     */
    private void guarded(Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            finished = true;
            held.clear();
            heldBytes = 0;
            upstreamRequest.reset();
            result.tryFail(e);
        }
    }

    private void hold(Buffer chunk) {
        held.add(chunk);
        heldBytes += chunk.length();
        if (holdForCost) {
            if (heldBytes <= MAX_HELD_FOR_COST) return; // written whole, after its headers, at the end
            holdForCost = false; // too big to hold: relayed from here on, without the cost headers
        }
        if (heldBytes >= MAX_HELD || context == null) { // enough for one write (or not on an event loop): now
            flushPending();
            return;
        }
        if (!flushScheduled) {
            flushScheduled = true;
            context.runOnContext(v -> {
                flushScheduled = false;
                flushPending();
            });
        }
    }

    /** Writes what is held; pauses the upstream while the caller's queue is full. */
    private void flushPending() {
        Buffer b = takeHeld(null);
        HttpServerResponse out = x.request.response();
        if (b == null || finished || out.ended() || out.closed()) return;
        out.write(b);
        if (out.writeQueueFull()) {
            upstream.pause();
            out.drainHandler(v -> upstream.resume());
        }
    }

    /** What is held, followed by {@code tail} (may be null), as one buffer; {@code tail} itself when nothing is held. */
    private Buffer takeHeld(Buffer tail) {
        if (held.isEmpty()) return tail;
        Buffer b;
        if (held.size() == 1 && (tail == null || tail.length() == 0)) { // a JSON body's meter adds an empty tail
            b = held.get(0);
        } else {
            b = Buffer.buffer(heldBytes + (tail == null ? 0 : tail.length()));
            for (Buffer h : held) b.appendBuffer(h);
            if (tail != null) b.appendBuffer(tail);
        }
        held.clear();
        heldBytes = 0;
        return b;
    }

    /** The exchange deadline passed while the body was still flowing. */
    void timeout() {
        guarded(() -> {
            if (finished) return;
            upstreamRequest.reset();
            if (failBeforeHead(new Refusal.UpstreamTimeout("upstream request timed out"))) return;
            endAfterUpstreamFailure("upstream request timed out");
            settle(false);
        });
    }

    /**
     * A rewritten answer whose upstream failed before anything reached the caller (a JSON answer is written only
     * when whole): the exchange fails with {@code refusal}, which the pipeline answers in the caller's dialect,
     * instead of a 200 with an empty body.
     */
    private boolean failBeforeHead(Refusal refusal) {
        if (meter.contentType() == null || x.request.response().headWritten()) return false;
        finished = true;
        held.clear();
        heldBytes = 0;
        meter.onEnd();
        result.tryFail(new Refusal.Refused(refusal));
        return true;
    }

    private void endAfterUpstreamFailure(String message) {
        HttpServerResponse out = x.request.response();
        Buffer tail = takeHeld(meter.onEnd());
        if (out.ended() || out.closed()) return;
        if (!out.isChunked()) {
            out.reset(); // a declared Content-Length can no longer be honoured
            return;
        }
        if (tail.length() > 0) out.write(tail);
        if (sse) {
            // the Responses API streams named events and no [DONE], whatever the provider's chat streams look like
            out.write(x.endpoint.operation() == io.bricksllm.proxy.Operation.RESPONSES
                    ? io.bricksllm.proxy.ProxyErrors.responsesStreamTail(message) : x.callerDialect().cutStreamTail(message));
        }
        out.end();
    }

    /** The figures of the request's event: what the meter charged for this answer. */
    static void costHeaders(HttpServerResponse out, MeterReading r) {
        out.putHeader("x-bricksllm-cost-usd", java.math.BigDecimal.valueOf(r.costUsd()).toPlainString());
        out.putHeader("x-bricksllm-prompt-tokens", String.valueOf(r.promptTokens()));
        out.putHeader("x-bricksllm-completion-tokens", String.valueOf(r.completionTokens()));
    }

    private void capture(Buffer chunk) {
        if (logged != null) logged.add(chunk);
    }

    private void settle(boolean clientAborted) {
        finished = true;
        MeterReading r = meter.reading();
        result.tryComplete(new Outcome(upstream.statusCode(), r.model().isEmpty() ? x.info.model() : r.model(),
                r.promptTokens(), r.completionTokens(), r.costUsd(), r.costMicros(), r.unpriced(),
                logged == null ? null : logged.bytes(), null, clientAborted, r.usageAnomaly(), r.cacheReadTokens(),
                r.cacheWriteTokens(), r.reasoningTokens()));
    }
}
