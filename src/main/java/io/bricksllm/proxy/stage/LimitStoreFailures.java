package io.bricksllm.proxy.stage;

import io.bricksllm.limits.LimitStoreUnavailable;
import io.bricksllm.proxy.Refusal;
import io.vertx.core.Future;

/** A shared counter store that cannot answer (and whose failure policy is to refuse) is a clear 503, not a 500. */
final class LimitStoreFailures {
    private LimitStoreFailures() {}

    static Future<Void> unavailable(Throwable e) {
        if (e instanceof LimitStoreUnavailable) {
            return Refusal.fail(new Refusal.Unavailable("limit store unavailable; try again shortly"));
        }
        return Future.failedFuture(e);
    }
}
