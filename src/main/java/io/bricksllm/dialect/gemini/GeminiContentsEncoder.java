package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.ToolArguments;
import io.bricksllm.dialect.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Messages as Gemini {@code contents}: system prompts pulled out into {@code systemInstruction},
 * roles {@code user} / {@code model}, tool results as {@code functionResponse} parts of a user turn
 * (Gemini names the function, not the call, so the name is found through the call's id), consecutive
 * same-role turns merged, empty text dropped. Earlier reasoning is dropped: Gemini does not take
 * thoughts back as input.
 */
final class GeminiContentsEncoder {

    /**
     * Gemini 3 refuses a function call in the history without the thought signature it came with;
     * OpenAI's wire shape cannot carry one, so Google's documented placeholder stands in for it.
     */
    static final String PLACEHOLDER_SIGNATURE = "skip_thought_signature_validator";

    private final ObjectMapper json;
    private final GeminiImageEncoder images;

    GeminiContentsEncoder(ObjectMapper json) {
        this.json = json;
        this.images = new GeminiImageEncoder(json);
    }

    Optional<ObjectNode> systemInstruction(List<Message> messages) {
        ArrayNode parts = json.createArrayNode();
        for (String text : Message.systemTexts(messages, GeminiRequestEncoder.PROVIDER)) {
            parts.addObject().put("text", text);
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode system = json.createObjectNode();
        system.set("parts", parts);
        return Optional.of(system);
    }

    ArrayNode contents(List<Message> messages) {
        Map<String, String> functionNames = functionNames(messages);
        ArrayNode turns = json.createArrayNode();
        String lastRole = null;
        ArrayNode lastParts = null;
        for (Message message : messages) {
            if (message.role() == Role.SYSTEM) {
                continue;
            }
            String role = message.role() == Role.ASSISTANT ? "model" : "user";
            List<ObjectNode> parts = parts(message, functionNames);
            if (parts.isEmpty()) {
                continue;
            }
            if (!role.equals(lastRole)) {
                ObjectNode turn = turns.addObject().put("role", role);
                lastParts = turn.putArray("parts");
                lastRole = role;
            }
            lastParts.addAll(parts);
        }
        turns.forEach(GeminiContentsEncoder::signFirstCall);
        return turns;
    }

    /** Gemini 3 wants the signature on the first function call of each model step (a merged model turn). */
    private static void signFirstCall(JsonNode turn) {
        for (JsonNode part : turn.path("parts")) {
            if (part.has("functionCall")) {
                ((ObjectNode) part).put("thoughtSignature", PLACEHOLDER_SIGNATURE);
                return;
            }
        }
    }

    private static Map<String, String> functionNames(List<Message> messages) {
        Map<String, String> names = new HashMap<>();
        for (Message message : messages) {
            for (Part part : message.parts()) {
                if (part instanceof Part.ToolCall call) {
                    names.put(call.id(), call.name());
                }
            }
        }
        return names;
    }

    private List<ObjectNode> parts(Message message, Map<String, String> functionNames) {
        List<ObjectNode> parts = new ArrayList<>();
        for (Part part : message.parts()) {
            switch (part) {
                case Part.Text t when t.text().isEmpty() -> { }
                case Part.Text t -> parts.add(json.createObjectNode().put("text", t.text()));
                case Part.Image image -> parts.add(images.encode(image));
                case Part.ToolCall call -> {
                    ObjectNode node = json.createObjectNode();
                    node.putObject("functionCall").put("name", call.name()).set("args", ToolArguments.asObject(json, call));
                    parts.add(node);
                }
                case Part.ToolResult result -> parts.add(functionResponse(result, functionNames));
                case Part.Reasoning ignored -> { }
            }
        }
        return parts;
    }

    /** Gemini wants the response as a JSON object; the tool's text goes in its documented {@code output} key. */
    private ObjectNode functionResponse(Part.ToolResult result, Map<String, String> functionNames) {
        String name = functionNames.get(result.toolCallId());
        if (name == null) {
            throw new InvalidChatRequestException("messages[].tool_call_id",
                    "no earlier assistant tool call has the id " + result.toolCallId());
        }
        ObjectNode node = json.createObjectNode();
        ObjectNode response = node.putObject("functionResponse").put("name", name).putObject("response");
        response.put("output", result.content());
        return node;
    }
}
