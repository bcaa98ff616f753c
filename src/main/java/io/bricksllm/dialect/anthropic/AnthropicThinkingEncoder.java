package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ReasoningEffort;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.UnsupportedByDialectException;

/**
 * OpenAI's {@code reasoning_effort} as Anthropic extended thinking with a token budget. OpenAI's
 * output cap includes reasoning, as Anthropic's {@code max_tokens} includes thinking, so a caller's
 * cap bounds the budget; without one, the budget comes on top of the default cap. Anthropic refuses
 * thinking with a set temperature, a narrow top_p or a forced tool, so those are refused here first.
 */
final class AnthropicThinkingEncoder {

    private static final int MINIMUM_BUDGET = ReasoningEffort.CLAUDE_MINIMUM_BUDGET;

    /** Runs after the other fields are in {@code body}, whose choices it checks. */
    void encode(Sampling sampling, java.util.List<io.bricksllm.dialect.Message> messages, ObjectNode body) {
        int wanted = sampling.reasoningEffort().orElse(ReasoningEffort.NONE).claudeThinkingBudget();
        if (wanted == 0 || io.bricksllm.dialect.Message.continuesUnsignedToolLoop(messages)) {
            return;
        }
        refuseWhatThinkingExcludes(sampling, body);
        int budget = wanted;
        if (sampling.maxOutputTokens().isPresent()) {
            budget = Math.min(wanted, sampling.maxOutputTokens().getAsInt() - 1);
            if (budget < MINIMUM_BUDGET) {
                throw new UnsupportedByDialectException("reasoning_effort", AnthropicRequestEncoder.PROVIDER,
                        "thinking needs max_completion_tokens above " + MINIMUM_BUDGET);
            }
        } else {
            body.put("max_tokens", body.get("max_tokens").intValue() + budget);
        }
        body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
    }

    private static void refuseWhatThinkingExcludes(Sampling sampling, ObjectNode body) {
        if (sampling.temperature().isPresent()) {
            throw new UnsupportedByDialectException("temperature", AnthropicRequestEncoder.PROVIDER,
                    "it cannot be combined with reasoning_effort");
        }
        if (sampling.topP().isPresent() && sampling.topP().getAsDouble() < 0.95) {
            throw new UnsupportedByDialectException("top_p", AnthropicRequestEncoder.PROVIDER,
                    "with reasoning_effort it must be at least 0.95");
        }
        String choice = body.path("tool_choice").path("type").asText("auto");
        if (choice.equals("tool") && AnthropicToolsEncoder.ANSWER_TOOL.equals(body.path("tool_choice").path("name").asText())) {
            throw new UnsupportedByDialectException("response_format", AnthropicRequestEncoder.PROVIDER,
                    "json_object cannot be combined with reasoning_effort; use json_schema");
        }
        if (choice.equals("any") || choice.equals("tool")) {
            throw new UnsupportedByDialectException("tool_choice", AnthropicRequestEncoder.PROVIDER,
                    "with reasoning_effort only auto and none are possible");
        }
    }
}
