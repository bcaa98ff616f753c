package io.bricksllm.dialect.openai;

import io.bricksllm.dialect.FinishReason;

/** OpenAI's {@code finish_reason} as the canonical one. */
final class OpenAiFinishReasons {

    private OpenAiFinishReasons() {
    }

    /**
     * @param calledTools whether the answer contains tool calls: some compatible servers (Gemini's, older vLLM)
     *     say {@code stop} even then, and a caller waits for its tools' turn only on a tool-calls reason
     */
    static FinishReason finishReason(String reason, boolean calledTools) {
        if (reason == null) {
            return calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (reason) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP; // stop, eos, and names added later
        };
    }
}
