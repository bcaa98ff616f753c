package io.bricksllm.policy.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces the spans of findings with {@value #MASK}. Overlapping or touching spans become one mask;
 * only the spans found are replaced (other occurrences of the same characters elsewhere are left alone).
 */
public final class Redactor {

    public static final String MASK = "***";

    private Redactor() {
    }

    /** The text with every finding's span masked; the same instance when there is nothing to mask. */
    public static String redact(String text, List<Finding> findings) {
        if (findings.isEmpty()) return text;
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt(Finding::start));
        StringBuilder sb = new StringBuilder(text.length());
        int copied = 0;
        int start = -1;
        int end = -1;
        for (Finding f : sorted) {
            if (f.end() > text.length()) {
                throw new IllegalArgumentException("finding [" + f.start() + ", " + f.end() + ") is outside a text of " + text.length());
            }
            if (start >= 0 && f.start() <= end) {
                end = Math.max(end, f.end());
                continue;
            }
            if (start >= 0) {
                sb.append(text, copied, start).append(MASK);
                copied = end;
            }
            start = f.start();
            end = f.end();
        }
        sb.append(text, copied, start).append(MASK).append(text, end, text.length());
        return sb.toString();
    }
}
