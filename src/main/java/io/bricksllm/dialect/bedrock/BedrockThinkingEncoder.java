package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ReasoningEffort;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.UnsupportedByDialectException;

/**
 * OpenAI's {@code reasoning_effort} as Claude extended thinking through
 * {@code additionalModelRequestFields} (the Anthropic model field, passed through by Converse). Other
 * Bedrock model families spell reasoning differently or not at all, so they are refused. As on
 * Anthropic, {@code maxTokens} includes the thinking budget, and thinking excludes a set
 * temperature, top_p and a forced tool.
 */
final class BedrockThinkingEncoder {

    private static final int MINIMUM_BUDGET = ReasoningEffort.CLAUDE_MINIMUM_BUDGET;
    /** Room for the answer on top of the budget when the caller set no cap. */
    private static final int ANSWER_ROOM = 4096;

    /** Runs after the tool config is in {@code body}. */
    void encode(Sampling sampling, java.util.List<io.bricksllm.dialect.Message> messages, String modelId, ObjectNode body,
                ObjectNode inference) {
        int wanted = sampling.reasoningEffort().orElse(ReasoningEffort.NONE).claudeThinkingBudget();
        if (wanted == 0 || io.bricksllm.dialect.Message.continuesUnsignedToolLoop(messages) && modelId.contains("anthropic.claude")) {
            return;
        }
        if (!modelId.contains("anthropic.claude")) {
            throw refusal("reasoning_effort", "it is translated for Anthropic Claude models only, not " + modelId);
        }
        if (sampling.temperature().isPresent()) {
            throw refusal("temperature", "it cannot be set together with reasoning_effort");
        }
        if (sampling.topP().isPresent()) {
            throw refusal("top_p", "it cannot be set together with reasoning_effort");
        }
        JsonNode toolChoice = body.at("/toolConfig/toolChoice");
        if (toolChoice.has("tool") || toolChoice.has("any")) {
            boolean answerTool = BedrockToolsEncoder.ANSWER_TOOL.equals(toolChoice.at("/tool/name").asText());
            throw refusal(answerTool ? "response_format" : "tool_choice",
                    "with reasoning_effort the model cannot be forced to call a tool");
        }
        int budget = wanted;
        if (sampling.maxOutputTokens().isPresent()) {
            budget = Math.min(wanted, sampling.maxOutputTokens().getAsInt() - 1);
            if (budget < MINIMUM_BUDGET) {
                throw refusal("reasoning_effort", "thinking needs max_completion_tokens above " + MINIMUM_BUDGET);
            }
        } else {
            inference.put("maxTokens", budget + ANSWER_ROOM);
        }
        body.putObject("additionalModelRequestFields").putObject("thinking").put("type", "enabled")
                .put("budget_tokens", budget);
    }

    private static UnsupportedByDialectException refusal(String field, String detail) {
        return new UnsupportedByDialectException(field, BedrockRequestEncoder.PROVIDER, detail);
    }
}
