package io.bricksllm.dialect.anthropic;

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
 * {@code tools}, {@code tool_choice} and the requested output format. {@code json_schema} uses the
 * Messages API's generally available structured output ({@code output_config.format}); {@code
 * json_object} has no schema to give it, so it becomes a forced tool whose input is the answer.
 */
final class AnthropicToolsEncoder {

    static final String ANSWER_TOOL = "json_answer";

    private final ObjectMapper json;

    AnthropicToolsEncoder(ObjectMapper json) {
        this.json = json;
    }

    /** Adds the fields to {@code body}; returns the answer tool's name when {@code json_object} was asked for. */
    Optional<String> encode(ChatRequest request, ObjectNode body) {
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            request.tools().forEach(tool -> tools.add(tool(tool)));
        }
        boolean serial = request.parallelToolCalls().map(parallel -> !parallel).orElse(false);
        Optional<ObjectNode> choice = request.toolChoice().map(this::toolChoice);
        if (choice.isEmpty() && serial && !request.tools().isEmpty()) {
            choice = Optional.of(json.createObjectNode().put("type", "auto"));
        }
        choice.ifPresent(c -> {
            if (serial && !"none".equals(c.path("type").asText())) {
                c.put("disable_parallel_tool_use", true);
            }
            body.set("tool_choice", c);
        });
        return outputFormat(request, body);
    }

    private ObjectNode tool(Tool tool) {
        ObjectNode node = json.createObjectNode().put("name", tool.name());
        tool.description().ifPresent(description -> node.put("description", description));
        node.set("input_schema", tool.parameters().deepCopy());
        if (tool.strict()) {
            node.put("strict", true);
        }
        return node;
    }

    private ObjectNode toolChoice(ToolChoice choice) {
        ObjectNode node = json.createObjectNode();
        return switch (choice) {
            case ToolChoice.Auto ignored -> node.put("type", "auto");
            case ToolChoice.None ignored -> node.put("type", "none");
            case ToolChoice.Required ignored -> node.put("type", "any");
            case ToolChoice.Named named -> node.put("type", "tool").put("name", named.name());
        };
    }

    private Optional<String> outputFormat(ChatRequest request, ObjectNode body) {
        switch (request.responseFormat()) {
            case ResponseFormat.Text ignored -> {
                return Optional.empty();
            }
            case ResponseFormat.JsonSchema schema -> {
                ObjectNode format = body.putObject("output_config").putObject("format").put("type", "json_schema");
                format.set("schema", schema.schema().deepCopy());
                return Optional.empty();
            }
            case ResponseFormat.JsonObject ignored -> {
                if (!request.tools().isEmpty()) {
                    throw new UnsupportedByDialectException("response_format", AnthropicRequestEncoder.PROVIDER,
                            "json_object cannot be combined with tools; use json_schema");
                }
                ObjectNode tool = body.putArray("tools").addObject().put("name", ANSWER_TOOL)
                        .put("description", "Give your complete answer as this tool's input, a single JSON object.");
                tool.putObject("input_schema").put("type", "object");
                body.putObject("tool_choice").put("type", "tool").put("name", ANSWER_TOOL);
                return Optional.of(ANSWER_TOOL);
            }
        }
    }
}
