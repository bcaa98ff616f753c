package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.openai.JsonFields.absent;
import static io.bricksllm.dialect.openai.JsonFields.optionalArray;
import static io.bricksllm.dialect.openai.JsonFields.optionalText;
import static io.bricksllm.dialect.openai.JsonFields.requiredObject;
import static io.bricksllm.dialect.openai.JsonFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenAI's {@code messages}: every role including {@code developer} (a system prompt) and the legacy
 * {@code function_call} / {@code function} pair, whose calls get ids so results can refer to them.
 */
final class OpenAiMessagesDecoder {

    private final OpenAiContentDecoder content = new OpenAiContentDecoder();

    List<Message> messages(JsonNode request) {
        JsonNode messages = request.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidChatRequestException("messages", "must be a non-empty array");
        }
        List<Message> decoded = new ArrayList<>();
        String lastLegacyCallId = null;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String path = "messages[" + i + "]";
            if (!message.isObject()) {
                throw new InvalidChatRequestException(path, "must be an object");
            }
            String role = requiredText(message, "role", path + ".role");
            Message next = switch (role) {
                case "system", "developer" -> new Message(Role.SYSTEM, content.parts(message.get("content"), path + ".content"));
                case "user" -> new Message(Role.USER, content.parts(message.get("content"), path + ".content"));
                case "assistant" -> assistant(message, path, "fc_" + i);
                case "tool" -> new Message(Role.TOOL, List.of(new Part.ToolResult(
                        requiredText(message, "tool_call_id", path + ".tool_call_id"),
                        content.text(message.get("content"), path + ".content"))));
                case "function" -> legacyFunctionResult(message, path, lastLegacyCallId);
                default -> throw new InvalidChatRequestException(path + ".role", "unknown role '" + role + "'");
            };
            if ("assistant".equals(role) && !absent(message.get("function_call"))) {
                lastLegacyCallId = "fc_" + i;
            }
            decoded.add(next);
        }
        return decoded;
    }

    private Message assistant(JsonNode message, String path, String legacyCallId) {
        List<Part> parts = new ArrayList<>();
        optionalText(message, "reasoning_content", path + ".reasoning_content")
                .ifPresent(text -> parts.add(new Part.Reasoning(text, Optional.empty())));
        parts.addAll(content.parts(message.get("content"), path + ".content"));
        int i = 0;
        for (JsonNode call : optionalArray(message, "tool_calls", path + ".tool_calls")) {
            String callPath = path + ".tool_calls[" + i++ + "]";
            JsonNode function = requiredObject(call, "function", callPath + ".function");
            parts.add(new Part.ToolCall(requiredText(call, "id", callPath + ".id"),
                    requiredText(function, "name", callPath + ".function.name"),
                    optionalText(function, "arguments", callPath + ".function.arguments").orElse("")));
        }
        if (!absent(message.get("function_call"))) {
            JsonNode function = requiredObject(message, "function_call", path + ".function_call");
            parts.add(new Part.ToolCall(legacyCallId, requiredText(function, "name", path + ".function_call.name"),
                    optionalText(function, "arguments", path + ".function_call.arguments").orElse("")));
        }
        return new Message(Role.ASSISTANT, parts);
    }

    private Message legacyFunctionResult(JsonNode message, String path, String lastLegacyCallId) {
        if (lastLegacyCallId == null) {
            throw new InvalidChatRequestException(path, "a 'function' message must follow an assistant function_call");
        }
        return new Message(Role.TOOL, List.of(new Part.ToolResult(lastLegacyCallId,
                content.text(message.get("content"), path + ".content"))));
    }
}
