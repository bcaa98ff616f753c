package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Tool;
import io.bricksllm.dialect.ToolChoice;

/**
 * {@code tools}, {@code toolConfig} and the requested output format. Schemas go in the JSON Schema
 * fields ({@code parametersJsonSchema}, {@code responseJsonSchema}), not {@code parameters} /
 * {@code responseSchema}: those take an OpenAPI 3.0 subset that refuses what OpenAI schemas routinely
 * contain ({@code additionalProperties} — required by strict mode —, {@code $ref}/{@code $defs},
 * type arrays), while the JSON Schema fields take them as sent. Gemini has no strict flag; the
 * schema is followed either way.
 */
final class GeminiToolsEncoder {

    private final ObjectMapper json;

    GeminiToolsEncoder(ObjectMapper json) {
        this.json = json;
    }

    void encode(ChatRequest request, ObjectNode body, ObjectNode generationConfig) {
        if (!request.tools().isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            request.tools().forEach(tool -> declarations.add(declaration(tool)));
        }
        request.toolChoice().ifPresent(choice -> {
            ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig");
            switch (choice) {
                case ToolChoice.Auto ignored -> config.put("mode", "AUTO");
                case ToolChoice.None ignored -> config.put("mode", "NONE");
                case ToolChoice.Required ignored -> config.put("mode", "ANY");
                case ToolChoice.Named named -> config.put("mode", "ANY").putArray("allowedFunctionNames").add(named.name());
            }
        });
        switch (request.responseFormat()) {
            case ResponseFormat.Text ignored -> { }
            case ResponseFormat.JsonObject ignored -> generationConfig.put("responseMimeType", "application/json");
            case ResponseFormat.JsonSchema schema -> {
                generationConfig.put("responseMimeType", "application/json");
                generationConfig.set("responseJsonSchema", schema.schema().deepCopy());
            }
        }
    }

    private ObjectNode declaration(Tool tool) {
        ObjectNode node = json.createObjectNode().put("name", tool.name());
        tool.description().ifPresent(description -> node.put("description", description));
        node.set("parametersJsonSchema", tool.parameters().deepCopy());
        return node;
    }
}
