package io.bricksllm.dialect.anthropic;

import io.bricksllm.dialect.FinishReason;

/**
 * The canonical finish reason as Anthropic's {@code stop_reason}. A content filter is Anthropic's {@code refusal}
 * (documented for the Claude 4 models); a stop sequence cannot be told from a natural stop once canonical, so both
 * are {@code end_turn}.
 */
final class AnthropicStopReasonEncoder {

    private AnthropicStopReasonEncoder() {
    }

    static String stopReason(FinishReason reason) {
        return switch (reason) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }
}
