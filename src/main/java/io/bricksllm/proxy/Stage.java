package io.bricksllm.proxy;

import io.vertx.core.Future;

/**
 * One layer of the proxy onion. {@code enter} admits (or refuses by failing with {@link Refusal.Refused});
 * {@code leave} runs in reverse order, exactly once, for every stage that entered — whatever happened inside.
 */
public interface Stage {
    Future<Void> enter(Exchange x);

    default void leave(Exchange x, Outcome outcome) {}
}
