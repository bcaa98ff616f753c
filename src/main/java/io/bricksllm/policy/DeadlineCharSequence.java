package io.bricksllm.policy;

import io.bricksllm.policy.detect.ScanDeadline;

/**
 * A text for {@link java.util.regex.Matcher} that checks a deadline every few thousand reads: a regex that
 * backtracks catastrophically on a request's text (say {@code (a+)+$} on "aaaa…!") stops at the deadline with
 * {@link io.bricksllm.policy.detect.ScanAbortedException} instead of pinning its thread. Not thread-safe: one per match.
 */
final class DeadlineCharSequence implements CharSequence {
    private static final int CHECK_EVERY = 0xFFF;

    private final String text;
    private final ScanDeadline deadline;
    private int reads;

    DeadlineCharSequence(String text, ScanDeadline deadline) {
        this.text = text;
        this.deadline = deadline;
    }

    @Override
    public char charAt(int index) {
        if ((++reads & CHECK_EVERY) == 0) deadline.check();
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.substring(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
