package io.bricksllm.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Deadline-bounded waiting for a condition, polled every few milliseconds (never a fixed sleep). */
public final class Poll {
    private Poll() {}

    /** Waits until {@code condition} holds; returns how long that took; fails after {@code deadline}. */
    public static Duration until(Duration deadline, String what, BooleanSupplier condition) {
        long t0 = System.nanoTime();
        long end = t0 + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) throw new AssertionError(what + ": not within " + deadline);
            pause(5);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** The polling interval of a deadline-bounded wait (not a synchronisation sleep). */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
