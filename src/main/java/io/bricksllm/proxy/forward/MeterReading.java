package io.bricksllm.proxy.forward;

/**
 * Tokens and cost of one response. {@code usageReported} is false when the upstream did not report usage
 * and the counts (if any) were estimated by the gateway's tokenizer.
 */
public record MeterReading(String model, long promptTokens, long completionTokens, double costUsd, long costMicros,
                           boolean unpriced, boolean usageReported) {
    public static final MeterReading NOTHING = new MeterReading("", 0, 0, 0, 0, false, false);
}
