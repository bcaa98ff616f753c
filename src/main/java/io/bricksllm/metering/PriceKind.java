package io.bricksllm.metering;

/**
 * What kind of call is being priced; it decides which of a setting's cost maps applies
 * (embeddings have their own map, chat and legacy completions share prompt/completion maps).
 */
public enum PriceKind {
    CHAT,
    COMPLETION,
    EMBEDDINGS
}
