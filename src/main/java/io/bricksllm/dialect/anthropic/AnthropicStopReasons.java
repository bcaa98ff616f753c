package io.bricksllm.dialect.anthropic;

import io.bricksllm.dialect.FinishReason;

/** Anthropic's {@code stop_reason} in OpenAI's vocabulary. */
final class AnthropicStopReasons {

    private AnthropicStopReasons() {
    }

    /** @param answeredByTool the forced {@code json_object} answer tool was used, so the model did finish */
    static FinishReason finishReason(String stopReason, boolean answeredByTool) {
        return switch (stopReason == null ? "end_turn" : stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> answeredByTool ? FinishReason.STOP : FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP; // end_turn, stop_sequence, pause_turn
        };
    }
}
