package io.bricksllm.proxy.forward;

/**
 * Tokens and cost of one response. {@code usageAnomaly} is empty, or what the upstream reported beyond what the
 * request could have used ({@code field:problem} items, see {@code UsageBounds}); the counts and cost are then the
 * bounded figures that were charged, never the reported ones.
 */
public record MeterReading(String model, long promptTokens, long completionTokens, double costUsd, long costMicros,
                           boolean unpriced, String usageAnomaly) {
    public static final MeterReading NOTHING = new MeterReading("", 0, 0, 0, 0, false, "");

    public MeterReading {
        usageAnomaly = usageAnomaly == null ? "" : usageAnomaly;
    }
}
