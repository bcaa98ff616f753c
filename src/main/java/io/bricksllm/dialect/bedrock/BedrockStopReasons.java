package io.bricksllm.dialect.bedrock;

import io.bricksllm.dialect.FinishReason;

/** Converse's {@code stopReason} in OpenAI's vocabulary. */
final class BedrockStopReasons {

    private BedrockStopReasons() {
    }

    /** @param answeredByTool the forced JSON answer tool was used, so the model did finish */
    static FinishReason finishReason(String stopReason, boolean answeredByTool) {
        return switch (stopReason == null ? "end_turn" : stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> answeredByTool ? FinishReason.STOP : FinishReason.TOOL_CALLS;
            case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP; // end_turn, stop_sequence
        };
    }
}
