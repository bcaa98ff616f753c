package io.bricksllm.metering;

import java.util.ArrayList;
import java.util.List;

/**
 * The most tokens one request can really have used; an upstream's report above it is an anomaly (a bug, a
 * compromised or hostile upstream) and is never charged as reported.
 *
 * <ul>
 *   <li>Prompt: the body's bytes plus {@link #PROMPT_BEYOND_BODY}. Byte-level tokenizers never produce more
 *       tokens than the bytes of the text, and what a body can reference without containing it (images, files, a
 *       stored conversation) cannot exceed a model's context window; the largest today is 10M tokens.</li>
 *   <li>Completion: the request's own output cap ({@code max_tokens}, {@code max_completion_tokens}, …) times the
 *       choices asked for ({@code n}, {@code best_of}); reasoning/thinking tokens count inside those caps for
 *       OpenAI and Anthropic alike. Without a cap, {@link #DEFAULT_MAX_COMPLETION} per choice: no model writes
 *       more than ~128k tokens in one answer.</li>
 *   <li>Cache reads and writes are parts of the prompt, so the prompt bound holds for them too; reasoning tokens
 *       are part of the completion, so the completion bound holds for them.</li>
 * </ul>
 */
public record UsageBounds(long maxInputTokens, long maxOutputTokens) {

    public static final long PROMPT_BEYOND_BODY = 10_000_000;
    public static final long DEFAULT_MAX_COMPLETION = 1_000_000;
    /** OpenAI accepts n up to 128; a larger figure in a body is itself nonsense and must not widen the bound. */
    static final int MAX_CHOICES = 128;

    public UsageBounds {
        if (maxInputTokens < 0 || maxOutputTokens < 0) {
            throw new IllegalArgumentException("bounds cannot be negative");
        }
    }

    /**
     * @param bodyBytes the request body's size
     * @param outputCap the request's output-token cap, 0 or less when it set none
     * @param choices   completions asked for ({@code n}/{@code best_of}), 1 when not set
     */
    public static UsageBounds forRequest(long bodyBytes, long outputCap, long choices) {
        long c = Math.clamp(choices, 1, MAX_CHOICES);
        long perChoice = outputCap > 0 ? Math.min(outputCap, DEFAULT_MAX_COMPLETION) : DEFAULT_MAX_COMPLETION;
        return new UsageBounds(Math.max(0, bodyBytes) + PROMPT_BEYOND_BODY, perChoice * c);
    }

    /**
     * What is wrong with {@code reported}, as short {@code field:problem} items joined by {@code ','}
     * (e.g. {@code completion_tokens:above_bound}); empty when every count is plausible. Counts only, never content.
     */
    public String anomalies(Usage reported) {
        List<String> found = new ArrayList<>(2);
        check(found, "prompt_tokens", reported.inputTokens(), maxInputTokens);
        check(found, "completion_tokens", reported.outputTokens(), maxOutputTokens);
        check(found, "cache_read_tokens", reported.cacheReadTokens(), maxInputTokens);
        check(found, "cache_write_tokens", reported.cacheWriteTokens(), maxInputTokens);
        check(found, "reasoning_tokens", reported.reasoningTokens(), maxOutputTokens);
        return String.join(",", found);
    }

    /**
     * The usage to charge when {@code reported} has anomalies: each plausible count as reported, each implausible
     * one replaced by the gateway's own count ({@code counted}, from its tokenizer, as for an upstream that reports
     * nothing); the result never exceeds the bounds. A replaced prompt drops the cache counts, which were parts of
     * the implausible figure; a replaced completion drops the reasoning count likewise, and an implausible reasoning
     * count alone is dropped (it is only recorded, never priced, so the completion stays as reported).
     */
    public Usage settle(Usage reported, Usage counted) {
        boolean inputOk = reported.inputTokens() <= maxInputTokens && reported.cacheReadTokens() <= maxInputTokens
                && reported.cacheWriteTokens() <= maxInputTokens;
        long input = Math.min(inputOk ? reported.inputTokens() : counted.inputTokens(), maxInputTokens);
        boolean outputOk = reported.outputTokens() <= maxOutputTokens;
        long output = Math.min(outputOk ? reported.outputTokens() : counted.outputTokens(), maxOutputTokens);
        long reasoning = outputOk && reported.reasoningTokens() <= maxOutputTokens ? Math.min(reported.reasoningTokens(), output) : 0;
        return inputOk ? new Usage(input, output, reported.cacheReadTokens(), reported.cacheWriteTokens(), reasoning)
                : new Usage(input, output, 0, 0, reasoning);
    }

    private static void check(List<String> found, String field, long value, long max) {
        if (value == Usage.UNREADABLE) {
            found.add(field + ":unreadable");
        } else if (value > max) {
            found.add(field + ":above_bound");
        }
    }
}
