package io.bricksllm.route.balance;

/** A target's place in the circuit: in rotation, taken out, or given its one trial request (half-open). */
public enum HealthState {
    HEALTHY, COOLDOWN, PROBING;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
