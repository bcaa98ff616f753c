package io.bricksllm.dialect.bedrock;

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
import java.util.Map;

/**
 * Messages as Converse requires them: system prompts pulled out into {@code system}, tool results as
 * user {@code toolResult} blocks (first in their turn, right after the assistant's {@code toolUse}),
 * consecutive same-role turns merged so roles alternate, empty text dropped (Converse refuses blank
 * text blocks), images inline only (Converse cannot fetch a URL).
 */
final class BedrockMessagesEncoder {

    private static final Map<String, String> IMAGE_FORMATS = Map.of("image/jpeg", "jpeg", "image/png", "png",
            "image/gif", "gif", "image/webp", "webp");
    private static final String IMAGE_FIELD = "messages[].content[].image_url";

    private final ObjectMapper json;

    BedrockMessagesEncoder(ObjectMapper json) {
        this.json = json;
    }

    /** The {@code system} blocks, empty when there is no system prompt. */
    ArrayNode system(List<Message> messages) {
        ArrayNode system = json.createArrayNode();
        for (String text : Message.systemTexts(messages, BedrockRequestEncoder.PROVIDER)) {
            system.addObject().put("text", text);
        }
        return system;
    }

    ArrayNode messages(List<Message> messages) {
        ArrayNode turns = json.createArrayNode();
        String lastRole = null;
        List<JsonNode> results = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
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
                flush(turns, lastRole, results, others);
                lastRole = role;
            }
            blocks.forEach(block -> (block.has("toolResult") ? results : others).add(block));
        }
        flush(turns, lastRole, results, others);
        return turns;
    }

    /** Ends a turn; a user turn's tool results go before its other content, as Claude on Bedrock requires. */
    private void flush(ArrayNode turns, String role, List<JsonNode> results, List<JsonNode> others) {
        if (role == null) {
            return;
        }
        ArrayNode content = turns.addObject().put("role", role).putArray("content");
        content.addAll(results);
        content.addAll(others);
        results.clear();
        others.clear();
    }

    private List<ObjectNode> blocks(Message message) {
        List<ObjectNode> blocks = new ArrayList<>();
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t when t.text().isEmpty() -> { }
                case Part.Text t -> blocks.add(json.createObjectNode().put("text", t.text()));
                case Part.Image image -> blocks.add(image(image));
                case Part.ToolCall call -> {
                    ObjectNode block = json.createObjectNode();
                    ObjectNode use = block.putObject("toolUse").put("toolUseId", call.id()).put("name", call.name());
                    use.set("input", ToolArguments.asObject(json, call));
                    blocks.add(block);
                }
                case Part.ToolResult result -> {
                    ObjectNode block = json.createObjectNode();
                    ObjectNode toolResult = block.putObject("toolResult").put("toolUseId", result.toolCallId());
                    toolResult.putArray("content").addObject().put("text", result.content());
                    blocks.add(block);
                }
                // earlier reasoning is accepted back only with its signature; without one it is dropped
                case Part.Reasoning r when r.signature().isEmpty() -> { }
                case Part.Reasoning r -> {
                    ObjectNode block = json.createObjectNode();
                    block.putObject("reasoningContent").putObject("reasoningText").put("text", r.text())
                            .put("signature", r.signature().get());
                    blocks.add(block);
                }
            }
        }
        return blocks;
    }

    private ObjectNode image(Part.Image image) {
        String url = image.url();
        if (!image.isDataUrl()) {
            if (url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7)) {
                throw new UnsupportedByDialectException(IMAGE_FIELD, BedrockRequestEncoder.PROVIDER,
                        "images must be sent inline as data URLs (data:image/png;base64,...), not fetched from a URL");
            }
            throw new InvalidChatRequestException(IMAGE_FIELD + ".url", "must be a data URL or an http(s) URL");
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma);
        if (!header.endsWith(";base64")) {
            throw new InvalidChatRequestException(IMAGE_FIELD + ".url",
                    "a data URL must be base64: data:<media type>;base64,<data>");
        }
        String mediaType = header.substring(0, header.length() - 7).toLowerCase(java.util.Locale.ROOT);
        String format = IMAGE_FORMATS.get(mediaType);
        if (format == null) {
            throw new UnsupportedByDialectException(IMAGE_FIELD, BedrockRequestEncoder.PROVIDER,
                    "images must be one of " + IMAGE_FORMATS.keySet().stream().sorted().toList() + ", not " + mediaType);
        }
        ObjectNode block = json.createObjectNode();
        // a blob in Converse's JSON protocol is base64 text: the data URL's payload passes as it is
        block.putObject("image").put("format", format).putObject("source").put("bytes", url.substring(comma + 1));
        return block;
    }
}
