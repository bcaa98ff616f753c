package io.bricksllm.limits;

/** Spend limits of a key or user in micro-dollars; 0 means none. */
public record BudgetLimits(long totalMicros, long windowMicros, Window window) {
    public static BudgetLimits of(double totalUsd, double windowUsd, String unit) {
        Window w = Window.ofUnit(unit == null ? "" : unit).orElse(null);
        return new BudgetLimits(Micros.of(totalUsd), w == null ? 0 : Micros.of(windowUsd), w);
    }

    public boolean none() {
        return totalMicros <= 0 && windowMicros <= 0;
    }
}
