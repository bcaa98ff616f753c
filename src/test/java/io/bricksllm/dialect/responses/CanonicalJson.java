package io.bricksllm.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Tool;
import io.bricksllm.dialect.ToolChoice;

/**
 * A canonical request as plain JSON, so request goldens can say what the decoder must produce in a file beside the
 * request; every field is written (absent options as null), so a changed default shows in the diff.
 */
final class CanonicalJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CanonicalJson() {
    }

    static ObjectNode of(ChatRequest request) {
        ObjectNode root = F.objectNode();
        root.put("model", request.model());
        ArrayNode messages = root.putArray("messages");
        for (Message message : request.messages()) {
            ObjectNode node = messages.addObject().put("role", message.role().name());
            ArrayNode parts = node.putArray("parts");
            message.parts().forEach(part -> parts.add(part(part)));
        }
        ArrayNode tools = root.putArray("tools");
        request.tools().forEach(tool -> tools.add(tool(tool)));
        root.set("toolChoice", request.toolChoice().map(CanonicalJson::toolChoice).orElse(F.nullNode()));
        root.set("parallelToolCalls", request.parallelToolCalls().<JsonNode>map(F::booleanNode).orElse(F.nullNode()));
        root.set("responseFormat", format(request.responseFormat()));
        ObjectNode sampling = root.putObject("sampling");
        var s = request.sampling();
        sampling.set("maxOutputTokens", s.maxOutputTokens().isPresent() ? F.numberNode(s.maxOutputTokens().getAsInt()) : F.nullNode());
        sampling.set("temperature", s.temperature().isPresent() ? F.numberNode(s.temperature().getAsDouble()) : F.nullNode());
        sampling.set("topP", s.topP().isPresent() ? F.numberNode(s.topP().getAsDouble()) : F.nullNode());
        ArrayNode stop = sampling.putArray("stop");
        s.stop().forEach(stop::add);
        sampling.set("n", s.n().isPresent() ? F.numberNode(s.n().getAsInt()) : F.nullNode());
        sampling.set("reasoningEffort", s.reasoningEffort().<JsonNode>map(e -> F.textNode(e.name())).orElse(F.nullNode()));
        root.set("user", request.user().<JsonNode>map(F::textNode).orElse(F.nullNode()));
        root.putObject("streaming").put("stream", request.streaming().stream())
                .put("includeUsage", request.streaming().includeUsage());
        return root;
    }

    private static ObjectNode part(Part part) {
        return switch (part) {
            case Part.Text t -> F.objectNode().put("text", t.text());
            case Part.Image i -> F.objectNode().put("image", i.url());
            case Part.ToolCall c -> F.objectNode().put("toolCall", c.id()).put("name", c.name())
                    .put("arguments", c.argumentsJson());
            case Part.ToolResult r -> F.objectNode().put("toolResult", r.toolCallId()).put("content", r.content());
            case Part.Reasoning r -> {
                ObjectNode node = F.objectNode().put("reasoning", r.text());
                node.set("signature", r.signature().<JsonNode>map(F::textNode).orElse(F.nullNode()));
                yield node;
            }
        };
    }

    private static ObjectNode tool(Tool tool) {
        ObjectNode node = F.objectNode().put("name", tool.name());
        node.set("description", tool.description().<JsonNode>map(F::textNode).orElse(F.nullNode()));
        node.set("parameters", tool.parameters());
        node.put("strict", tool.strict());
        return node;
    }

    private static JsonNode toolChoice(ToolChoice choice) {
        return switch (choice) {
            case ToolChoice.Auto a -> F.textNode("auto");
            case ToolChoice.None n -> F.textNode("none");
            case ToolChoice.Required r -> F.textNode("required");
            case ToolChoice.Named named -> F.objectNode().put("name", named.name());
        };
    }

    private static JsonNode format(ResponseFormat format) {
        return switch (format) {
            case ResponseFormat.Text t -> F.textNode("text");
            case ResponseFormat.JsonObject o -> F.textNode("json_object");
            case ResponseFormat.JsonSchema schema -> {
                ObjectNode node = F.objectNode().put("name", schema.name()).put("strict", schema.strict());
                node.set("schema", schema.schema());
                yield node;
            }
        };
    }
}
