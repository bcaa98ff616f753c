package io.bricksllm.proxy;

/**
 * How one request ended, built once: limits settle, telemetry records and the event sink enqueues
 * from this same value. {@code usage} fields are -1 when not known. {@code usageAnomaly} is empty, or what the
 * upstream reported beyond the request's bounds (the token and cost fields then hold the bounded, charged figures).
 */
public record Outcome(int status, String model, long promptTokens, long completionTokens, double costUsd,
                      long costMicros, boolean unpriced, byte[] responseBody, Refusal refusal, boolean clientAborted,
                      String usageAnomaly) {

    public Outcome {
        usageAnomaly = usageAnomaly == null ? "" : usageAnomaly;
    }

    /** An outcome without a usage anomaly. */
    public Outcome(int status, String model, long promptTokens, long completionTokens, double costUsd,
                   long costMicros, boolean unpriced, byte[] responseBody, Refusal refusal, boolean clientAborted) {
        this(status, model, promptTokens, completionTokens, costUsd, costMicros, unpriced, responseBody, refusal,
                clientAborted, "");
    }

    public static Outcome refused(Refusal r) {
        return new Outcome(r.status(), "", 0, 0, 0, 0, false, null, r, false);
    }
}
