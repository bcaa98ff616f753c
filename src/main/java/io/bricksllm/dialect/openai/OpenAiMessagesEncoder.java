package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical messages as OpenAI's {@code messages}: system prompts stay in position, a lone text is written as a
 * plain string (the shape every compatible server accepts), each tool result is its own {@code tool} message.
 */
final class OpenAiMessagesEncoder {

    private final ObjectMapper json;

    OpenAiMessagesEncoder(ObjectMapper json) {
        this.json = json;
    }

    ArrayNode messages(List<Message> messages) {
        ArrayNode out = json.createArrayNode();
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            String path = "messages[" + i + "]";
            switch (message.role()) {
                case SYSTEM -> out.add(system(message, path));
                case USER -> user(message, path, out);
                case ASSISTANT -> out.add(assistant(message, path));
                case TOOL -> toolResults(message, path, out);
            }
        }
        return out;
    }

    private ObjectNode system(Message message, String path) {
        List<String> texts = new ArrayList<>();
        for (Part part : message.parts()) {
            if (!(part instanceof Part.Text(String text))) {
                throw new UnsupportedByDialectException(path + ".content", OpenAiRequestEncoder.PROVIDER,
                        "system prompts may contain text only");
            }
            texts.add(text);
        }
        ObjectNode node = json.createObjectNode().put("role", "system");
        if (texts.size() == 1) {
            node.put("content", texts.getFirst());
        } else {
            ArrayNode content = node.putArray("content");
            texts.forEach(text -> content.addObject().put("type", "text").put("text", text));
        }
        return node;
    }

    /** Tool results in a user turn (as Messages API callers send them) go first, as their own tool messages. */
    private void user(Message message, String path, ArrayNode out) {
        List<Part> content = new ArrayList<>();
        for (Part part : message.parts()) {
            switch (part) {
                case Part.ToolResult result -> out.add(toolResult(result));
                case Part.Text t -> content.add(t);
                case Part.Image image -> content.add(image);
                case Part.Reasoning ignored -> { } // never meaningful from a user
                case Part.ToolCall ignored -> throw new InvalidChatRequestException(path + ".content",
                        "only assistant messages may contain tool calls");
            }
        }
        if (content.isEmpty() && message.parts().size() > 0) {
            return; // the turn was tool results only
        }
        ObjectNode node = json.createObjectNode().put("role", "user");
        if (content.isEmpty()) {
            node.put("content", "");
        } else if (content.size() == 1 && content.getFirst() instanceof Part.Text(String text)) {
            node.put("content", text);
        } else {
            ArrayNode parts = node.putArray("content");
            for (Part part : content) {
                if (part instanceof Part.Text(String text)) {
                    parts.addObject().put("type", "text").put("text", text);
                } else if (part instanceof Part.Image(String url)) {
                    parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
                }
            }
        }
        out.add(node);
    }

    private ObjectNode assistant(Message message, String path) {
        List<String> texts = new ArrayList<>();
        ArrayNode toolCalls = json.createArrayNode();
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text(String text) -> texts.add(text);
                case Part.ToolCall call -> toolCalls.addObject().put("id", call.id()).put("type", "function")
                        .putObject("function").put("name", call.name()).put("arguments", arguments(call));
                // Dropped: OpenAI's API has no field for earlier reasoning (its own stays server-side, reachable only
                // through the Responses API), and DeepSeek refuses reasoning_content sent back in a request.
                case Part.Reasoning ignored -> { }
                case Part.Image ignored -> throw new UnsupportedByDialectException(path + ".content",
                        OpenAiRequestEncoder.PROVIDER, "assistant messages may not contain images");
                case Part.ToolResult ignored -> throw new InvalidChatRequestException(path + ".content",
                        "tool results belong in tool messages, not assistant messages");
            }
        }
        ObjectNode node = json.createObjectNode().put("role", "assistant");
        if (texts.size() == 1) {
            node.put("content", texts.getFirst());
        } else if (texts.size() > 1) {
            ArrayNode content = node.putArray("content");
            texts.forEach(text -> content.addObject().put("type", "text").put("text", text));
        } else if (toolCalls.isEmpty()) {
            node.put("content", ""); // an answer that was reasoning only: the turn keeps its place
        } else {
            node.putNull("content");
        }
        if (!toolCalls.isEmpty()) {
            node.set("tool_calls", toolCalls);
        }
        return node;
    }

    /**
     * Empty arguments as {@code {}}: OpenAI takes any text, but compatible servers that render the conversation
     * through a chat template (vLLM) parse earlier calls' arguments as JSON.
     */
    private static String arguments(Part.ToolCall call) {
        return call.argumentsJson().isBlank() ? "{}" : call.argumentsJson();
    }

    private void toolResults(Message message, String path, ArrayNode out) {
        for (Part part : message.parts()) {
            if (!(part instanceof Part.ToolResult result)) {
                throw new InvalidChatRequestException(path + ".content", "tool messages may contain tool results only");
            }
            out.add(toolResult(result));
        }
    }

    private ObjectNode toolResult(Part.ToolResult result) {
        return json.createObjectNode().put("role", "tool").put("tool_call_id", result.toolCallId())
                .put("content", result.content());
    }
}
