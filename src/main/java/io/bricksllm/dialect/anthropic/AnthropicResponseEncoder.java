package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Part;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A canonical answer as Anthropic's Messages JSON ({@code type: message}), for callers of {@code /v1/messages}
 * whose model lives elsewhere. Parts keep their order as content blocks. A reasoning part without a signature
 * (another provider's reasoning) gets an empty one: the SDKs require the field, and Anthropic would refuse such a
 * block sent back anyway.
 */
public final class AnthropicResponseEncoder {

    private final ObjectMapper json;
    private final AnthropicUsageEncoder usage = new AnthropicUsageEncoder();

    public AnthropicResponseEncoder(ObjectMapper json) {
        this.json = json;
    }

    public byte[] encode(ChatResponse response) {
        ObjectNode root = json.createObjectNode();
        root.put("id", messageId(response.id())).put("type", "message").put("role", "assistant")
                .put("model", response.model());
        ArrayNode content = root.putArray("content");
        for (Part part : response.parts()) {
            switch (part) {
                case Part.Text text -> content.addObject().put("type", "text").put("text", text.text());
                case Part.Reasoning reasoning -> content.addObject().put("type", "thinking")
                        .put("thinking", reasoning.text()).put("signature", reasoning.signature().orElse(""));
                case Part.ToolCall call -> content.addObject().put("type", "tool_use").put("id", call.id())
                        .put("name", call.name()).set("input", input(call));
                case Part.Image ignored -> { } // an answer has no images in the canonical model's providers
                case Part.ToolResult ignored -> { }
            }
        }
        root.put("stop_reason", AnthropicStopReasonEncoder.stopReason(response.finishReason()));
        root.putNull("stop_sequence");
        usage.write(response.usage(), root.putObject("usage"));
        try {
            return json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree we built always serialises
        }
    }

    /** Anthropic ids start with {@code msg_}; another provider's id keeps its text after that prefix. */
    static String messageId(String id) {
        return id.startsWith("msg_") ? id : "msg_" + id;
    }

    /** The arguments as the object Anthropic sends; a model's unparseable arguments are the upstream's fault. */
    private JsonNode input(Part.ToolCall call) {
        if (call.argumentsJson().isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode args = json.readTree(call.argumentsJson());
            if (args != null && args.isObject()) {
                return args;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new MalformedUpstreamException("the model's arguments for tool call " + call.id() + " are not a JSON object");
    }
}
