package io.bricksllm.policy.detect;

import java.time.Duration;

/**
 * When a scan must give up. Scanners call {@link #check()} in their loops (cooperative cancellation: a scan over
 * its budget stops on its own thread instead of being abandoned there, still spinning). Immutable.
 */
public final class ScanDeadline {
    /** No limit: for tests and tools. */
    public static final ScanDeadline NONE = new ScanDeadline(0, false);

    private final long atNanos;
    private final boolean bounded;

    private ScanDeadline(long atNanos, boolean bounded) {
        this.atNanos = atNanos;
        this.bounded = bounded;
    }

    /** A deadline {@code budget} from now. */
    public static ScanDeadline after(Duration budget) {
        return new ScanDeadline(System.nanoTime() + budget.toNanos(), true);
    }

    /** This deadline, or {@code slice} from now when that comes first. */
    public ScanDeadline atMost(Duration slice) {
        long at = System.nanoTime() + slice.toNanos();
        return bounded && atNanos - at <= 0 ? this : new ScanDeadline(at, true);
    }

    public boolean passed() {
        return bounded && System.nanoTime() - atNanos >= 0;
    }

    /** Throws {@link ScanAbortedException#timedOut()} once the deadline has passed. */
    public void check() {
        if (passed()) throw ScanAbortedException.timeout();
    }
}
