package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.openai.JsonFields.absent;
import static io.bricksllm.dialect.openai.JsonFields.optionalArray;
import static io.bricksllm.dialect.openai.JsonFields.optionalText;
import static io.bricksllm.dialect.openai.JsonFields.requiredObject;
import static io.bricksllm.dialect.openai.JsonFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Tool;
import io.bricksllm.dialect.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code tools} / {@code tool_choice} (and legacy {@code functions} / {@code function_call}) and {@code response_format}. */
final class OpenAiToolsDecoder {

    List<Tool> tools(JsonNode request) {
        List<Tool> tools = new ArrayList<>();
        int i = 0;
        for (JsonNode tool : optionalArray(request, "tools", "tools")) {
            String path = "tools[" + i++ + "]";
            String type = optionalText(tool, "type", path + ".type").orElse("function");
            if (!"function".equals(type)) {
                throw new InvalidChatRequestException(path + ".type", "only function tools can be translated, not '" + type + "'");
            }
            tools.add(function(requiredObject(tool, "function", path + ".function"), path + ".function"));
        }
        i = 0;
        for (JsonNode function : optionalArray(request, "functions", "functions")) {
            tools.add(function(function, "functions[" + i++ + "]"));
        }
        return tools;
    }

    private Tool function(JsonNode function, String path) {
        JsonNode parameters = function.get("parameters");
        if (absent(parameters)) {
            parameters = JsonNodeFactory.instance.objectNode().put("type", "object");
        } else if (!parameters.isObject()) {
            throw new InvalidChatRequestException(path + ".parameters", "must be a JSON schema object");
        }
        return new Tool(requiredText(function, "name", path + ".name"),
                optionalText(function, "description", path + ".description"), parameters,
                function.path("strict").asBoolean(false));
    }

    Optional<ToolChoice> toolChoice(JsonNode request) {
        JsonNode choice = request.get("tool_choice");
        String field = "tool_choice";
        if (absent(choice)) {
            choice = request.get("function_call");
            field = "function_call";
        }
        if (absent(choice)) {
            return Optional.empty();
        }
        if (choice.isTextual()) {
            return Optional.of(switch (choice.textValue()) {
                case "auto" -> new ToolChoice.Auto();
                case "none" -> new ToolChoice.None();
                case "required" -> new ToolChoice.Required();
                default -> throw new InvalidChatRequestException(field, "must be auto, none, required or a named function");
            });
        }
        JsonNode named = choice.has("function") ? choice.get("function") : choice;
        if (!named.isObject()) {
            throw new InvalidChatRequestException(field, "must be auto, none, required or a named function");
        }
        return Optional.of(new ToolChoice.Named(requiredText(named, "name", field + ".function.name")));
    }

    ResponseFormat responseFormat(JsonNode request) {
        JsonNode format = request.get("response_format");
        if (absent(format)) {
            return new ResponseFormat.Text();
        }
        if (!format.isObject()) {
            throw new InvalidChatRequestException("response_format", "must be an object");
        }
        String type = requiredText(format, "type", "response_format.type");
        return switch (type) {
            case "text" -> new ResponseFormat.Text();
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> jsonSchema(requiredObject(format, "json_schema", "response_format.json_schema"));
            default -> throw new InvalidChatRequestException("response_format.type", "unknown type '" + type + "'");
        };
    }

    private ResponseFormat jsonSchema(JsonNode spec) {
        JsonNode schema = spec.get("schema");
        if (absent(schema)) {
            schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        } else if (!schema.isObject()) {
            throw new InvalidChatRequestException("response_format.json_schema.schema", "must be a JSON schema object");
        }
        return new ResponseFormat.JsonSchema(requiredText(spec, "name", "response_format.json_schema.name"), schema,
                spec.path("strict").asBoolean(false));
    }
}
