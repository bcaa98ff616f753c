package io.bricksllm.policy;

import java.util.Optional;

/** A rule's action, in priority order: block beats warn beats redact beats allow (BEHAVIOUR.md §7.2). */
public enum PolicyAction {
    ALLOW("allow", "allowed"),
    REDACT("allow_but_redact", "redacted"),
    WARN("allow_but_warn", "warned"),
    BLOCK("block", "blocked");

    private final String wire;
    private final String outcome;

    PolicyAction(String wire, String outcome) {
        this.wire = wire;
        this.outcome = outcome;
    }

    public String wire() {
        return wire;
    }

    /** The event's {@code action} value. */
    public String outcome() {
        return outcome;
    }

    public static Optional<PolicyAction> fromWire(String s) {
        for (PolicyAction a : values()) if (a.wire.equals(s)) return Optional.of(a);
        return Optional.empty();
    }

    public PolicyAction max(PolicyAction other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
