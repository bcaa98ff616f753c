package io.bricksllm.limits;

import java.time.Instant;

/**
 * Told after a request's cost was settled at a level that has a budget (spend alerts listen here). Must not block
 * and must not fail the request: whatever it does happens after the answer.
 */
@FunctionalInterface
public interface SpendObserver {
    SpendObserver NONE = (level, at) -> {};

    void settled(LevelLimits level, Instant at);
}
