package io.bricksllm.metering;

/**
 * Tokens one upstream call consumed, normalised so that one pricing formula fits every dialect.
 *
 * <p>{@code inputTokens} counts ALL prompt tokens, cached ones included (OpenAI's
 * {@code prompt_tokens}); for Anthropic it is {@code input_tokens + cache_read_input_tokens +
 * cache_creation_input_tokens}. The cache counts are subsets of it, so the uncached part is
 * {@link #uncachedInputTokens()}. {@code reasoningTokens} is likewise a detail of {@code outputTokens}
 * (OpenAI's {@code completion_tokens_details.reasoning_tokens}, Gemini's thinking tokens): recorded, never
 * priced apart, because output prices already cover it. "Not reported" is {@code Optional.empty()}, never a
 * zero Usage: a zero here means the upstream really said zero.
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens) {

    /**
     * A count the upstream sent but that no token count can be (negative, a string, beyond {@code long}). It is
     * larger than any {@link UsageBounds} allows, so settling records it as an anomaly and never charges it.
     */
    public static final long UNREADABLE = Long.MAX_VALUE;

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative: " + inputTokens + "/"
                    + outputTokens + "/" + cacheReadTokens + "/" + cacheWriteTokens + "/" + reasoningTokens);
        }
    }

    /** Usage whose upstream reports no reasoning detail (Anthropic, embeddings, counted usage). */
    public Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
        this(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, 0);
    }

    /** Usage without any prompt caching, the common case and what token counting produces. */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, 0, 0);
    }

    /**
     * Canonical usage a dialect reader produced ({@link io.bricksllm.dialect.Usage}, "not reported" kept apart from 0)
     * in the form prices are computed from; empty when the prompt size was not reported, since output alone cannot be
     * priced sensibly. Cache counts are clamped to the prompt, reasoning to the output, they are details of.
     */
    public static java.util.Optional<Usage> of(io.bricksllm.dialect.Usage reported) {
        if (reported.input().isEmpty()) return java.util.Optional.empty();
        long input = reported.input().getAsLong();
        long cacheRead = Math.min(reported.cacheRead().orElse(0), input);
        long cacheWrite = Math.min(reported.cacheWrite().orElse(0), input - cacheRead);
        long output = reported.output().orElse(0);
        return java.util.Optional.of(new Usage(input, output, cacheRead, cacheWrite, Math.min(reported.reasoning().orElse(0), output)));
    }

    /**
     * Prompt tokens neither read from nor written to the cache. Clamped at zero because an upstream
     * that reports inconsistent numbers must not produce a negative cost.
     */
    public long uncachedInputTokens() {
        return Math.max(0, inputTokens - cacheReadTokens - cacheWriteTokens);
    }
}
