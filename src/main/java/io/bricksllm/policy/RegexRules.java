package io.bricksllm.policy;

import io.bricksllm.policy.detect.ScanAbortedException;

/** Limits on a policy's regex rules: the pattern's length, so that compiling it stays in milliseconds. */
public final class RegexRules {
    /**
     * The longest definition accepted. Java compiles some patterns in time quadratic in their length (a 4 KB
     * literal: ~150 ms, 64 KB: 17 s); 1,000 characters keeps any pattern to a few ms and is far above what a
     * rule needs (an e-mail or an id pattern is under 100).
     */
    public static final int MAX_LENGTH = 1_000;
    /** In the findings when a stored rule is over the limit (stored before it existed): the check cannot complete. */
    static final String UNUSABLE = "regex_unusable";

    private RegexRules() {}

    static ScanAbortedException unusable(int index) {
        return new ScanAbortedException(UNUSABLE + "[" + index + "]");
    }
}
