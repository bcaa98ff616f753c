package io.bricksllm.limits;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health of one counter store as its guard sees it: counts failed calls, notes (at debug level: the
 * Redis connection itself warns once per outage, with the cause) when an outage starts and ends, and —
 * while the store is down — lets admission skip it for a short probe interval so that a store that
 * hangs does not add its timeout to every request.
 */
public final class StoreOutage {
    private static final Logger LOG = LoggerFactory.getLogger(StoreOutage.class);

    private final String name;
    private final FailurePolicy policy;
    private final long probeIntervalNanos;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong admittedWhileDown = new AtomicLong();
    private volatile long lastFailureNanos;

    StoreOutage(String name, FailurePolicy policy, Duration probeInterval) {
        this.name = name;
        this.policy = policy;
        this.probeIntervalNanos = probeInterval.toNanos();
    }

    /** True while a recent failure says the store is down and the next probe is not due yet. */
    boolean skipStore() {
        return down.get() && System.nanoTime() - lastFailureNanos < probeIntervalNanos;
    }

    void failed(Throwable cause) {
        failures.incrementAndGet();
        lastFailureNanos = System.nanoTime();
        if (down.compareAndSet(false, true)) {
            LOG.debug("{} unavailable, {} until it answers again: {}", name,
                    policy == FailurePolicy.FAIL_OPEN ? "admitting requests" : "refusing requests (503)", cause.getMessage());
        }
    }

    /** A call that could not reach the store while it was known to be down. */
    void skipped() {
        failures.incrementAndGet();
    }

    void admittedByPolicy() {
        admittedWhileDown.incrementAndGet();
    }

    void succeeded() {
        if (down.get() && down.compareAndSet(true, false)) {
            LOG.debug("{} available again ({} failed calls so far)", name, failures.get());
        }
    }

    /** Calls that failed (or were not attempted) because the store was unavailable, since start. */
    public long failures() {
        return failures.get();
    }

    /** Admissions granted by {@link FailurePolicy#FAIL_OPEN} without the store, since start. */
    public long admittedWhileDown() {
        return admittedWhileDown.get();
    }

    public boolean down() {
        return down.get();
    }

    /**
     * A call that is not admission (a read, a seed): no policy applies; its success or failure is counted, and a
     * failure is passed on as {@link LimitStoreUnavailable}.
     */
    <T> io.vertx.core.Future<T> observed(io.vertx.core.Future<T> call) {
        return call.transform(ar -> {
            if (ar.succeeded()) {
                succeeded();
                return io.vertx.core.Future.succeededFuture(ar.result());
            }
            failed(ar.cause());
            return io.vertx.core.Future.failedFuture(unavailable(name, ar.cause()));
        });
    }

    static LimitStoreUnavailable unavailable(String name, Throwable cause) {
        return cause instanceof LimitStoreUnavailable u ? u : new LimitStoreUnavailable(name + " unavailable: " + cause.getMessage(), cause);
    }
}
