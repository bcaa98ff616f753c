package io.bricksllm.limits;

/** Who a limit belongs to (issue 19): refusals name the level ("team budget exceeded"). */
public enum Level {
    TEAM("team"), KEY("key"), USER("user");

    private final String label;

    Level(String label) {
        this.label = label;
    }

    /** The word refusals and headers use. */
    public String label() {
        return label;
    }
}
