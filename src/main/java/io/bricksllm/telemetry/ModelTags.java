package io.bricksllm.telemetry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the values of the {@code model} tag. Callers choose model names, so each distinct name would be a new
 * time series: at most {@code cap} names are kept, then {@value #OTHER}. A name joins the kept set only from a
 * request the upstream answered with 2xx (upstreams reject unknown models), so refused or failed requests with
 * invented names cannot use up the cap; they are tagged with the name only if it is already kept.
 */
final class ModelTags {
    static final String OTHER = "other";
    static final String NONE = "none";
    static final int MAX_LENGTH = 100;

    private final int cap;
    private final Set<String> kept = ConcurrentHashMap.newKeySet();

    ModelTags(int cap) {
        if (cap < 1) throw new IllegalArgumentException("model tag cap must be positive");
        this.cap = cap;
    }

    /** The tag value for {@code model}; {@code accepted}: the upstream answered 2xx, so the name is real. */
    String tag(String model, boolean accepted) {
        if (model == null || model.isEmpty()) return NONE;
        String m = sanitize(model);
        if (kept.contains(m)) return m;
        if (!accepted) return OTHER;
        synchronized (this) {
            if (kept.contains(m)) return m;
            if (kept.size() >= cap) return OTHER;
            kept.add(m);
            return m;
        }
    }

    int size() {
        return kept.size();
    }

    /**
     * Keeps what Datadog tags and Prometheus labels both carry unchanged: letters, digits and {@code . _ - / : @ +};
     * anything else (commas, pipes, '#', spaces, quotes, non-ASCII) becomes '_'. At most {@value #MAX_LENGTH} chars.
     */
    static String sanitize(String s) {
        int n = Math.min(s.length(), MAX_LENGTH);
        StringBuilder b = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '/' || c == ':' || c == '@' || c == '+';
            if (!ok && b == null) b = new StringBuilder(n).append(s, 0, i);
            if (b != null) b.append(ok ? c : '_');
        }
        if (b != null) return b.toString();
        return n == s.length() ? s : s.substring(0, n);
    }
}
