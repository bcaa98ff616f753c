package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Part;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Converse response as a canonical answer: text, tool calls, reasoning, stop reason and usage. A
 * Converse body names neither itself nor the model, so the caller passes both (the id from the
 * {@code x-amzn-RequestId} header, the model id from the request).
 */
public final class BedrockResponseDecoder {

    private final ObjectMapper json;

    public BedrockResponseDecoder(ObjectMapper json) {
        this.json = json;
    }

    /** @param answerTool from {@link BedrockCall#answerTool()}: that tool's input is the answer text */
    public ChatResponse decode(byte[] body, String id, String modelId, Optional<String> answerTool) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new MalformedUpstreamException("bedrock answered with a body that is not JSON");
        }
        JsonNode content = root == null ? null : root.at("/output/message/content");
        if (content == null || !content.isArray()) {
            throw new MalformedUpstreamException("bedrock answered without output.message.content");
        }
        List<Part> parts = new ArrayList<>();
        boolean answeredByTool = false;
        for (JsonNode block : content) {
            if (block.has("text")) {
                parts.add(new Part.Text(block.path("text").asText()));
            } else if (block.has("reasoningContent")) {
                JsonNode reasoning = block.path("reasoningContent").path("reasoningText");
                if (reasoning.isObject()) {
                    parts.add(new Part.Reasoning(reasoning.path("text").asText(),
                            Optional.ofNullable(reasoning.path("signature").textValue())));
                }
            } else if (block.has("toolUse")) {
                JsonNode use = block.path("toolUse");
                String name = use.path("name").asText();
                String input = write(use.path("input"));
                if (answerTool.isPresent() && answerTool.get().equals(name)) {
                    answeredByTool = true;
                    parts.add(new Part.Text(input));
                } else {
                    parts.add(new Part.ToolCall(use.path("toolUseId").asText(), name, input));
                }
            }
            // images, documents, citations, redacted reasoning: nothing the caller's dialect can show
        }
        return new ChatResponse(id, modelId, parts,
                BedrockStopReasons.finishReason(root.path("stopReason").textValue(), answeredByTool),
                BedrockUsageCounts.read(root.get("usage")));
    }

    private String write(JsonNode input) {
        try {
            return json.writeValueAsString(input.isMissingNode() ? json.createObjectNode() : input);
        } catch (JsonProcessingException e) {
            throw new MalformedUpstreamException("bedrock answered with a tool input that cannot be written");
        }
    }
}
