package io.bricksllm.proxy;

/**
 * How one request ended, built once: limits settle, telemetry records and the event sink enqueues
 * from this same value. {@code usage} fields are -1 when not known.
 */
public record Outcome(int status, String model, long promptTokens, long completionTokens, double costUsd,
                      long costMicros, boolean unpriced, byte[] responseBody, Refusal refusal, boolean clientAborted) {

    public static Outcome refused(Refusal r) {
        return new Outcome(r.status(), "", 0, 0, 0, 0, false, null, r, false);
    }
}
