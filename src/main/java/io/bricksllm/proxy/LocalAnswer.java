package io.bricksllm.proxy;

/**
 * A request the gateway answers itself after every stage admitted it (an Anthropic {@code count_tokens} for another
 * provider's model): it writes the answer and says what happened, as a forward would.
 */
public interface LocalAnswer {
    Outcome answer(Exchange x);
}
