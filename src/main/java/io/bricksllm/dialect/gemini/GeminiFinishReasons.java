package io.bricksllm.dialect.gemini;

import io.bricksllm.dialect.FinishReason;

/** Gemini's {@code finishReason} in OpenAI's vocabulary. */
final class GeminiFinishReasons {

    private GeminiFinishReasons() {
    }

    /** @param calledFunctions Gemini says STOP after function calls, where OpenAI says tool_calls */
    static FinishReason finishReason(String reason, boolean calledFunctions) {
        return switch (reason == null ? "STOP" : reason) {
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                 "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
            default -> calledFunctions ? FinishReason.TOOL_CALLS : FinishReason.STOP; // STOP, OTHER, LANGUAGE, …
        };
    }
}
