package io.bricksllm.events;

import java.util.Map;

/**
 * Totals of the events that fall in one time slot ({@code slot} = (created_at - origin) / width) and share
 * the values of the grouped {@link Dimension}s. The cache and reasoning counts are details of the prompt and
 * completion counts, as on {@link Event}.
 */
public record EventSlice(
        long slot,
        Map<Dimension, String> group,
        long requests,
        double costInUsd,
        long latencyInMs,
        long promptTokenCount,
        long completionTokenCount,
        long successCount,
        long cacheReadTokenCount,
        long cacheWriteTokenCount,
        long reasoningTokenCount) {

    /** A group-by dimension: its name in reporting requests and its column. */
    public enum Dimension {
        MODEL("model", "model"),
        KEY_ID("keyId", "key_id"),
        CUSTOM_ID("customId", "custom_id"),
        USER_ID("userId", "user_id");

        private final String wireName;
        private final String column;

        Dimension(String wireName, String column) {
            this.wireName = wireName;
            this.column = column;
        }

        public String wireName() {
            return wireName;
        }

        String column() {
            return column;
        }

        /** The dimension called {@code name} in a reporting request, or null. */
        public static Dimension byWireName(String name) {
            for (Dimension d : values()) if (d.wireName.equals(name)) return d;
            return null;
        }
    }

    public EventSlice {
        group = Map.copyOf(group);
    }

    public String value(Dimension d) {
        return group.getOrDefault(d, "");
    }
}
