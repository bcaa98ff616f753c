package io.bricksllm.policy;

import io.bricksllm.policy.detect.ScanAbortedException;
import io.bricksllm.policy.detect.ScanDeadline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Keeps policy scans off the event loops (DESIGN.md: no work of unbounded length on a loop) and within a time
 * budget per request. A small body is scanned on the loop, but for at most {@link #LOOP_SLICE}: a scan that
 * takes longer (a pathological regex, a dense text) gives up there and starts again on this pool's threads. A
 * body over the offload size goes to the pool at once. Whatever runs past the request's budget stops (the
 * scanners check the deadline as they go) and fails with {@link ScanAbortedException#SCAN_TIMEOUT}; more
 * scans waiting than the pool can take in time fail with {@value #OVERLOADED}.
 */
public final class ScanPool {
    /** The most a scan may take on an event loop before it moves to the pool. */
    static final Duration LOOP_SLICE = Duration.ofMillis(5);
    /** In the findings when scans queue beyond what the pool can take. */
    public static final String OVERLOADED = "scan_overloaded";
    /** Regex definitions compile here too, bounded by this (they are at most {@link RegexRules#MAX_LENGTH} long). */
    static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(1);

    private final WorkerExecutor workers;
    private final Duration budget;
    private final long offloadBytes;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();

    /**
     * @param workers      the pool's threads ({@code threads} of them)
     * @param budget       the time one request's scans may take in all (POLICY_SCAN_TIMEOUT)
     * @param offloadBytes bodies larger than this go to the pool without a first try on the loop
     */
    public ScanPool(WorkerExecutor workers, int threads, Duration budget, long offloadBytes) {
        this.workers = workers;
        this.budget = budget;
        this.offloadBytes = offloadBytes;
        this.maxQueued = threads * 32;
    }

    /** A pool of one thread per core (at least two) on {@code vertx}'s shared worker executor "bricksllm-policy-scan". */
    public static ScanPool create(Vertx vertx, Duration budget, long offloadBytes) {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        // a scan ends at its budget: the blocked-thread warning only fires well past it
        WorkerExecutor workers = vertx.createSharedWorkerExecutor("bricksllm-policy-scan", threads, budget.toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
        return new ScanPool(workers, threads, budget, offloadBytes);
    }

    /** A runner for one request: its budget starts now. */
    public ScanRunner forRequest() {
        return new Budgeted(ScanDeadline.after(budget));
    }

    /** Compiles a regex on the pool, waiting at most {@link #COMPILE_TIMEOUT}; for callers on worker threads. */
    Pattern compile(String definition) throws TimeoutException {
        try {
            return workers.executeBlocking(() -> Pattern.compile(definition), false)
                    .toCompletionStage().toCompletableFuture().get(COMPILE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof StackOverflowError) throw new PatternSyntaxException("nested too deeply", definition, -1);
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    private final class Budgeted implements ScanRunner {
        private final ScanDeadline total;

        Budgeted(ScanDeadline total) {
            this.total = total;
        }

        @Override
        public <T> Future<T> run(long size, Function<ScanDeadline, T> work) {
            if (size <= offloadBytes) {
                try {
                    return Future.succeededFuture(work.apply(total.atMost(LOOP_SLICE)));
                } catch (ScanAbortedException e) {
                    if (!e.timedOut() || total.passed()) return Future.failedFuture(e);
                    // the slice ran out, not the budget: the rest of it on the pool
                } catch (RuntimeException e) {
                    return Future.failedFuture(e);
                }
            }
            if (queued.incrementAndGet() > maxQueued) {
                queued.decrementAndGet();
                return Future.failedFuture(new ScanAbortedException(OVERLOADED));
            }
            return workers.executeBlocking(() -> {
                try {
                    total.check(); // waited in the queue past the budget: no point starting
                    return work.apply(total);
                } finally {
                    queued.decrementAndGet();
                }
            }, false);
        }
    }
}
