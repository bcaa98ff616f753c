package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.Part;
import java.io.UncheckedIOException;

/** A canonical answer as OpenAI's {@code chat.completion} JSON (one choice). */
public final class OpenAiResponseEncoder {

    private final ObjectMapper json;
    private final OpenAiUsageEncoder usage = new OpenAiUsageEncoder();

    public OpenAiResponseEncoder(ObjectMapper json) {
        this.json = json;
    }

    /** @param created seconds since the epoch, as OpenAI's {@code created} */
    public byte[] encode(ChatResponse response, long created) {
        ObjectNode root = json.createObjectNode();
        root.put("id", response.id()).put("object", "chat.completion").put("created", created)
                .put("model", response.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message(response));
        choice.putNull("logprobs");
        choice.put("finish_reason", response.finishReason().openAiName());
        if (response.usage().isReported()) {
            root.set("usage", usage.encode(response.usage()));
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode message(ChatResponse response) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode toolCalls = json.createArrayNode();
        for (Part part : response.parts()) {
            switch (part) {
                case Part.Text t -> text.append(t.text());
                case Part.Reasoning r -> reasoning.append(r.text());
                case Part.ToolCall call -> toolCalls.addObject().put("id", call.id()).put("type", "function")
                        .putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
                case Part.Image ignored -> { }
                case Part.ToolResult ignored -> { }
            }
        }
        ObjectNode message = json.createObjectNode().put("role", "assistant");
        if (text.isEmpty() && !toolCalls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        message.putNull("refusal");
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        return message;
    }
}
