package io.bricksllm.proxy.stage;

import io.bricksllm.proxy.Exchange;

/** An upper-bound cost of a request before it is forwarded, for budget reservations. */
@FunctionalInterface
public interface CostEstimator {
    long estimateMicros(Exchange x);
}
