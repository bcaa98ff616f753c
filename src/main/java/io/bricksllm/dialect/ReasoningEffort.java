package io.bricksllm.dialect;

/** How hard the model should think before answering, in OpenAI's {@code reasoning_effort} vocabulary. */
public enum ReasoningEffort {
    NONE, MINIMAL, LOW, MEDIUM, HIGH;

    /** The smallest thinking budget Claude accepts (Anthropic's API and Claude on Bedrock alike). */
    public static final int CLAUDE_MINIMUM_BUDGET = 1024;

    /** Claude's extended-thinking budget for this effort, in tokens; 0 for none (minimal is too small to enable). */
    public int claudeThinkingBudget() {
        return switch (this) {
            case NONE, MINIMAL -> 0;
            case LOW -> CLAUDE_MINIMUM_BUDGET;
            case MEDIUM -> 4096;
            case HIGH -> 16384;
        };
    }
}
