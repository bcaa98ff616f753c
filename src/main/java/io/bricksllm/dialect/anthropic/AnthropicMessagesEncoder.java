package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.ToolArguments;
import io.bricksllm.dialect.Role;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Messages as Anthropic requires them: system prompts pulled out into {@code system}, tool results as
 * user {@code tool_result} blocks (first in their turn), consecutive same-role turns merged so roles
 * alternate, empty text dropped (Anthropic refuses empty text blocks).
 */
final class AnthropicMessagesEncoder {

    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private final ObjectMapper json;

    AnthropicMessagesEncoder(ObjectMapper json) {
        this.json = json;
    }

    /** The {@code system} blocks, empty when there is no system prompt. */
    ArrayNode system(List<Message> messages) {
        ArrayNode system = json.createArrayNode();
        for (String text : Message.systemTexts(messages, AnthropicRequestEncoder.PROVIDER)) {
            system.addObject().put("type", "text").put("text", text);
        }
        return system;
    }

    ArrayNode messages(List<Message> messages) {
        ArrayNode turns = json.createArrayNode();
        String lastRole = null;
        ArrayNode lastContent = null;
        for (Message message : messages) {
            if (message.role() == Role.SYSTEM) {
                continue;
            }
            String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
            List<ObjectNode> blocks = blocks(message);
            if (blocks.isEmpty()) {
                continue;
            }
            if (!role.equals(lastRole)) {
                ObjectNode turn = turns.addObject().put("role", role);
                lastContent = turn.putArray("content");
                lastRole = role;
            }
            lastContent.addAll(blocks);
        }
        for (JsonNode turn : turns) {
            toolResultsFirst((ArrayNode) turn.get("content"));
        }
        return turns;
    }

    /** Anthropic wants a user turn's tool results before any other content in that turn. */
    private static void toolResultsFirst(ArrayNode content) {
        List<JsonNode> results = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
        content.forEach(block -> ("tool_result".equals(block.path("type").asText()) ? results : others).add(block));
        content.removeAll();
        content.addAll(results);
        content.addAll(others);
    }

    private List<ObjectNode> blocks(Message message) {
        List<ObjectNode> blocks = new ArrayList<>();
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t when t.text().isEmpty() -> { }
                case Part.Text t -> blocks.add(json.createObjectNode().put("type", "text").put("text", t.text()));
                case Part.Image image -> blocks.add(image(image));
                case Part.ToolCall call -> blocks.add(toolUse(call));
                case Part.ToolResult result -> blocks.add(json.createObjectNode().put("type", "tool_result")
                        .put("tool_use_id", result.toolCallId()).put("content", result.content()));
                // Anthropic accepts earlier thinking back only with its signature; without one it is dropped
                case Part.Reasoning r when r.signature().isEmpty() -> { }
                case Part.Reasoning r -> blocks.add(json.createObjectNode().put("type", "thinking")
                        .put("thinking", r.text()).put("signature", r.signature().get()));
            }
        }
        return blocks;
    }

    private ObjectNode image(Part.Image image) {
        ObjectNode block = json.createObjectNode().put("type", "image");
        ObjectNode source = block.putObject("source");
        String url = image.url();
        if (image.isDataUrl()) {
            int comma = url.indexOf(',');
            String header = comma < 0 ? "" : url.substring(5, comma);
            if (!header.endsWith(";base64")) {
                throw new InvalidChatRequestException("messages[].content[].image_url.url",
                        "a data URL must be base64: data:<media type>;base64,<data>");
            }
            String mediaType = header.substring(0, header.length() - 7);
            if (!IMAGE_TYPES.contains(mediaType)) {
                throw new UnsupportedByDialectException("messages[].content[].image_url", AnthropicRequestEncoder.PROVIDER,
                        "images must be one of " + IMAGE_TYPES + ", not " + mediaType);
            }
            source.put("type", "base64").put("media_type", mediaType).put("data", url.substring(comma + 1));
        } else if (url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7)) {
            source.put("type", "url").put("url", url);
        } else {
            throw new InvalidChatRequestException("messages[].content[].image_url.url",
                    "must be a data URL or an http(s) URL");
        }
        return block;
    }

    private ObjectNode toolUse(Part.ToolCall call) {
        ObjectNode block = json.createObjectNode().put("type", "tool_use").put("id", call.id()).put("name", call.name());
        block.set("input", ToolArguments.asObject(json, call));
        return block;
    }
}
