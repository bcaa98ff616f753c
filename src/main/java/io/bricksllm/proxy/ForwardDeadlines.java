package io.bricksllm.proxy;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The forwarded requests of one pipeline (one event loop) that have not ended yet, each with the time it must have
 * ended by. One periodic sweep per event loop hands the overdue ones back, instead of a timer armed and cancelled
 * per request (a timer costs a scheduled task and a cancel on every request: measured ~1 % of the gateway's CPU).
 * Confined to its event loop: no synchronisation.
 */
final class ForwardDeadlines {
    private static final long SWEEP_MILLIS = 1_000;

    private final Vertx vertx;
    private final Consumer<Exchange> overdue;
    private final Map<Exchange, Long> endBy = new HashMap<>();
    private long sweeper = -1;

    ForwardDeadlines(Vertx vertx, Consumer<Exchange> overdue) {
        this.vertx = vertx;
        this.overdue = overdue;
    }

    /** Watches {@code x} until {@link #done}; called on the event loop, which the sweep then runs on too. */
    void watch(Exchange x, long deadlineNanos) {
        endBy.put(x, deadlineNanos);
        if (sweeper < 0) sweeper = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep(System.nanoTime()));
    }

    void done(Exchange x) {
        endBy.remove(x);
    }

    void sweep(long now) {
        if (endBy.isEmpty()) return;
        List<Exchange> late = new ArrayList<>();
        endBy.forEach((x, deadline) -> {
            if (now - deadline > 0) late.add(x);
        });
        for (Exchange x : late) {
            endBy.remove(x);
            overdue.accept(x);
        }
    }
}
