package io.bricksllm.proxy;

/**
 * How one request ended, built once: limits settle, telemetry records and the event sink enqueues
 * from this same value. {@code usage} fields are -1 when not known. {@code usageAnomaly} is empty, or what the
 * upstream reported beyond the request's bounds (the token and cost fields then hold the bounded, charged figures).
 * The cache counts are details of {@code promptTokens}, {@code reasoningTokens} a detail of {@code completionTokens}.
 */
public record Outcome(int status, String model, long promptTokens, long completionTokens, double costUsd,
                      long costMicros, boolean unpriced, byte[] responseBody, Refusal refusal, boolean clientAborted,
                      String usageAnomaly, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens) {

    public Outcome {
        usageAnomaly = usageAnomaly == null ? "" : usageAnomaly;
    }

    /** An outcome without token details (no cache use, no reasoning reported). */
    public Outcome(int status, String model, long promptTokens, long completionTokens, double costUsd,
                   long costMicros, boolean unpriced, byte[] responseBody, Refusal refusal, boolean clientAborted,
                   String usageAnomaly) {
        this(status, model, promptTokens, completionTokens, costUsd, costMicros, unpriced, responseBody, refusal,
                clientAborted, usageAnomaly, 0, 0, 0);
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
