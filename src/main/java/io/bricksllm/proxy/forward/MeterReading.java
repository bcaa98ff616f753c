package io.bricksllm.proxy.forward;

/**
 * Tokens and cost of one response. {@code usageAnomaly} is empty, or what the upstream reported beyond what the
 * request could have used ({@code field:problem} items, see {@code UsageBounds}); the counts and cost are then the
 * bounded figures that were charged, never the reported ones. The cache counts are details of {@code promptTokens},
 * {@code reasoningTokens} a detail of {@code completionTokens}.
 */
public record MeterReading(String model, long promptTokens, long completionTokens, double costUsd, long costMicros,
                           boolean unpriced, String usageAnomaly, long cacheReadTokens, long cacheWriteTokens,
                           long reasoningTokens) {
    public static final MeterReading NOTHING = new MeterReading("", 0, 0, 0, 0, false, "");

    public MeterReading {
        usageAnomaly = usageAnomaly == null ? "" : usageAnomaly;
    }

    /** A reading without token details (no cache use, no reasoning reported). */
    public MeterReading(String model, long promptTokens, long completionTokens, double costUsd, long costMicros,
                        boolean unpriced, String usageAnomaly) {
        this(model, promptTokens, completionTokens, costUsd, costMicros, unpriced, usageAnomaly, 0, 0, 0);
    }
}
