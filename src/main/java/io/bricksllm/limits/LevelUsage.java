package io.bricksllm.limits;

/**
 * A level's request and token counts in their current windows as admission saw them (this request included when
 * admitted): what the {@code x-ratelimit-*} headers are made of. -1 = not counted (no such limit, or the store did not
 * answer and its failure policy admitted).
 */
public record LevelUsage(LevelLimits limits, long requestsUsed, long tokensUsed) {
    public static LevelUsage uncounted(LevelLimits limits) {
        return new LevelUsage(limits, -1, -1);
    }
}
