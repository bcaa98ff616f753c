package io.bricksllm.policy.detect;

/**
 * A policy check that could not complete; {@link #finding()} names why (recorded in the event's findings, never
 * a value of the text). The request then follows the configured failure mode. No stack trace: it is control flow.
 */
public final class ScanAbortedException extends RuntimeException {
    /** The scan ran out of its time budget. */
    public static final String SCAN_TIMEOUT = "scan_timeout";

    private final String finding;

    public ScanAbortedException(String finding) {
        super(finding, null, false, false);
        this.finding = finding;
    }

    static ScanAbortedException timeout() {
        return new ScanAbortedException(SCAN_TIMEOUT);
    }

    public String finding() {
        return finding;
    }

    public boolean timedOut() {
        return SCAN_TIMEOUT.equals(finding);
    }
}
