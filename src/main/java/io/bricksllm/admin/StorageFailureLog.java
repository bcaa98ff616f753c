package io.bricksllm.admin;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin calls that failed on the database: one warning line per interval with the cause, no stack trace, and how
 * many more failed meanwhile. A database outage under admin traffic used to log a full stack trace per call.
 */
final class StorageFailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    static final long INTERVAL_NANOS = 30_000_000_000L;

    private final AtomicLong lastWarnNanos = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicLong quiet = new AtomicLong();

    void failed(String method, String path, Throwable cause) {
        long now = System.nanoTime();
        long last = lastWarnNanos.get();
        if (now - last >= INTERVAL_NANOS && lastWarnNanos.compareAndSet(last, now)) {
            long more = quiet.getAndSet(0);
            LOG.warn("admin {} {}: storage unavailable, answered 503: {}{}", method, path, cause.getMessage(),
                    more == 0 ? "" : " (" + more + " more admin calls failed on storage since the last warning)");
        } else {
            quiet.incrementAndGet();
        }
    }
}
