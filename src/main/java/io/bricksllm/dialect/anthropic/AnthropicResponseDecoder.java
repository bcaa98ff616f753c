package io.bricksllm.dialect.anthropic;

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

/** An Anthropic Messages response as a canonical answer: text, tool calls, thinking as reasoning, usage. */
public final class AnthropicResponseDecoder {

    private final ObjectMapper json;

    public AnthropicResponseDecoder(ObjectMapper json) {
        this.json = json;
    }

    /** @param answerTool from {@link AnthropicCall#answerTool()}: that tool's input is the answer text */
    public ChatResponse decode(byte[] body, Optional<String> answerTool) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new MalformedUpstreamException("anthropic answered with a body that is not JSON");
        }
        if (root == null || !root.path("content").isArray()) {
            throw new MalformedUpstreamException("anthropic answered without a content array");
        }
        List<Part> parts = new ArrayList<>();
        boolean answeredByTool = false;
        for (JsonNode block : root.get("content")) {
            switch (block.path("type").asText()) {
                case "text" -> parts.add(new Part.Text(block.path("text").asText()));
                case "thinking" -> parts.add(new Part.Reasoning(block.path("thinking").asText(),
                        Optional.ofNullable(block.path("signature").textValue())));
                case "tool_use" -> {
                    String name = block.path("name").asText();
                    String input = write(block.path("input"));
                    if (answerTool.isPresent() && answerTool.get().equals(name)) {
                        answeredByTool = true;
                        parts.add(new Part.Text(input));
                    } else {
                        parts.add(new Part.ToolCall(block.path("id").asText(), name, input));
                    }
                }
                default -> { } // redacted thinking, server tools: nothing the caller's dialect can show
            }
        }
        return new ChatResponse(root.path("id").asText(), root.path("model").asText(), parts,
                AnthropicStopReasons.finishReason(root.path("stop_reason").textValue(), answeredByTool),
                AnthropicUsageCounts.read(root.get("usage")).toUsage());
    }

    private String write(JsonNode input) {
        try {
            return json.writeValueAsString(input.isMissingNode() ? json.createObjectNode() : input);
        } catch (JsonProcessingException e) {
            throw new MalformedUpstreamException("anthropic answered with a tool input that cannot be written");
        }
    }
}
