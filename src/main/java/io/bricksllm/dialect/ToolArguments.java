package io.bricksllm.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A tool call's arguments as the JSON object every target dialect sends (Anthropic {@code input}, Gemini {@code args},
 * Bedrock {@code toolUse.input}); OpenAI carries them as text, which may be empty.
 */
public final class ToolArguments {
    private ToolArguments() {}

    /** The arguments parsed; empty text is {@code {}}; anything but an object is a 400 naming the call. */
    public static JsonNode asObject(ObjectMapper json, Part.ToolCall call) {
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
        throw new InvalidChatRequestException("messages[].tool_calls[].function.arguments",
                "must be a JSON object (tool call " + call.id() + ")");
    }
}
