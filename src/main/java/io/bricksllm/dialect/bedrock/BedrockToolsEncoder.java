package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Tool;
import io.bricksllm.dialect.ToolChoice;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.util.Optional;

/**
 * {@code toolConfig} and the requested output format. Converse's tool choice has no "none": tools are
 * then left out, which Converse refuses when the conversation already holds tool calls, so that case
 * is refused here. {@code json_object} and {@code json_schema} become a forced tool whose input (with
 * the caller's schema, if any) is the answer.
 */
final class BedrockToolsEncoder {

    static final String ANSWER_TOOL = "json_answer";

    private final ObjectMapper json;

    BedrockToolsEncoder(ObjectMapper json) {
        this.json = json;
    }

    /** Adds {@code toolConfig} to {@code body}; returns the answer tool's name when JSON output was asked for. */
    Optional<String> encode(ChatRequest request, ObjectNode body) {
        Optional<String> answerTool = answerTool(request, body);
        if (answerTool.isPresent() || request.tools().isEmpty()) {
            return answerTool;
        }
        ToolChoice choice = request.toolChoice().orElse(new ToolChoice.Auto());
        if (choice instanceof ToolChoice.None) {
            if (holdsToolBlocks(body)) {
                throw new UnsupportedByDialectException("tool_choice", BedrockRequestEncoder.PROVIDER,
                        "Converse has no 'none' choice, and tools cannot be left out of a conversation with tool calls");
            }
            return Optional.empty();
        }
        ObjectNode config = body.putObject("toolConfig");
        ArrayNode tools = config.putArray("tools");
        request.tools().forEach(tool -> tools.add(tool(tool)));
        ObjectNode toolChoice = json.createObjectNode();
        switch (choice) {
            case ToolChoice.Auto ignored -> toolChoice.putObject("auto");
            case ToolChoice.Required ignored -> toolChoice.putObject("any");
            case ToolChoice.Named named -> toolChoice.putObject("tool").put("name", named.name());
            case ToolChoice.None ignored -> throw new IllegalStateException("handled above");
        }
        config.set("toolChoice", toolChoice);
        return Optional.empty();
    }

    private ObjectNode tool(Tool tool) {
        ObjectNode spec = json.createObjectNode();
        ObjectNode toolSpec = spec.putObject("toolSpec").put("name", tool.name());
        tool.description().ifPresent(description -> toolSpec.put("description", description));
        toolSpec.putObject("inputSchema").set("json", tool.parameters().deepCopy());
        return spec;
    }

    private Optional<String> answerTool(ChatRequest request, ObjectNode body) {
        JsonNode schema;
        switch (request.responseFormat()) {
            case ResponseFormat.Text ignored -> {
                return Optional.empty();
            }
            case ResponseFormat.JsonObject ignored -> schema = json.createObjectNode().put("type", "object");
            case ResponseFormat.JsonSchema jsonSchema -> schema = jsonSchema.schema().deepCopy();
        }
        if (!request.tools().isEmpty()) {
            throw new UnsupportedByDialectException("response_format", BedrockRequestEncoder.PROVIDER,
                    "JSON output is a forced tool on Bedrock and cannot be combined with tools");
        }
        ObjectNode config = body.putObject("toolConfig");
        ObjectNode spec = config.putArray("tools").addObject().putObject("toolSpec").put("name", ANSWER_TOOL)
                .put("description", "Give your complete answer as this tool's input, a single JSON object.");
        spec.putObject("inputSchema").set("json", schema);
        config.putObject("toolChoice").putObject("tool").put("name", ANSWER_TOOL);
        return Optional.of(ANSWER_TOOL);
    }

    private static boolean holdsToolBlocks(ObjectNode body) {
        for (JsonNode turn : body.path("messages")) {
            for (JsonNode block : turn.path("content")) {
                if (block.has("toolUse") || block.has("toolResult")) {
                    return true;
                }
            }
        }
        return false;
    }
}
