package io.bricksllm.policy;

import io.bricksllm.policy.detect.ScanDeadline;
import io.vertx.core.Future;
import java.util.function.Function;

/** Where a policy's CPU-bound work runs and until when: see {@link ScanPool#forRequest()}. */
public interface ScanRunner {
    /** Runs {@code work} over a body of {@code size} bytes; it fails with what the work throws. */
    <T> Future<T> run(long size, Function<ScanDeadline, T> work);

    /** On the calling thread, without a deadline: for tests and tools. */
    ScanRunner INLINE = new ScanRunner() {
        @Override
        public <T> Future<T> run(long size, Function<ScanDeadline, T> work) {
            try {
                return Future.succeededFuture(work.apply(ScanDeadline.NONE));
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        }
    };
}
