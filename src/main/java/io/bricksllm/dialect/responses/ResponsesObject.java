package io.bricksllm.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Tool;
import io.bricksllm.dialect.ToolChoice;
import io.bricksllm.dialect.Usage;
import java.util.Locale;
import java.util.Optional;

/**
 * The Responses {@code response} object, shared by the whole-answer encoder and the stream's lifecycle events, and
 * the ids of its items. openai-java requires {@code error}, {@code incomplete_details}, {@code instructions},
 * {@code metadata}, {@code parallel_tool_calls}, {@code temperature}, {@code tool_choice}, {@code tools} and
 * {@code top_p} (null where the request said nothing), and a {@code usage} whose every count is present.
 */
final class ResponsesObject {

    private final ObjectMapper json;
    private final ResponsesEcho echo;

    ResponsesObject(ObjectMapper json, ResponsesEcho echo) {
        this.json = json;
        this.echo = echo;
    }

    /** Responses ids start with {@code resp_}; another provider's id keeps its text after that prefix. */
    static String responseId(String upstreamId) {
        return upstreamId.startsWith("resp_") ? upstreamId : "resp_" + upstreamId;
    }

    /** An output item's id: its kind's prefix, the response's id and its position, the same whole or streamed. */
    static String itemId(String prefix, String responseId, int outputIndex) {
        return prefix + responseId.substring("resp_".length()) + "_" + outputIndex;
    }

    /** {@code completed}, or {@code incomplete} when the model was cut short. */
    static String status(FinishReason reason) {
        return incompleteReason(reason).isPresent() ? "incomplete" : "completed";
    }

    static Optional<String> incompleteReason(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> Optional.of("max_output_tokens");
            case CONTENT_FILTER -> Optional.of("content_filter");
            case STOP, TOOL_CALLS -> Optional.empty();
        };
    }

    /**
     * The object; {@code usage} is left out unless both input and output counts were reported (the SDK requires
     * every count, and an invented 0 would be read as real), its details are 0 when not reported.
     */
    ObjectNode build(String id, long createdAt, String model, String status, ArrayNode output, Usage usage,
            Optional<String> incompleteReason, Optional<ChatError> error) {
        ObjectNode root = json.createObjectNode();
        root.put("id", id).put("object", "response").put("created_at", createdAt).put("status", status);
        root.put("background", false);
        error.ifPresentOrElse(e -> root.putObject("error").put("code", errorCode(e)).put("message", e.message()),
                () -> root.putNull("error"));
        incompleteReason.ifPresentOrElse(reason -> root.putObject("incomplete_details").put("reason", reason),
                () -> root.putNull("incomplete_details"));
        echo.instructions().ifPresentOrElse(text -> root.put("instructions", text), () -> root.putNull("instructions"));
        echo.maxOutputTokens().ifPresentOrElse(max -> root.put("max_output_tokens", max),
                () -> root.putNull("max_output_tokens"));
        root.put("model", model);
        root.set("output", output);
        root.put("parallel_tool_calls", echo.parallelToolCalls());
        root.putNull("previous_response_id");
        ObjectNode reasoning = root.putObject("reasoning");
        echo.reasoningEffort().ifPresentOrElse(effort -> reasoning.put("effort", effort.name().toLowerCase(Locale.ROOT)),
                () -> reasoning.putNull("effort"));
        reasoning.putNull("summary");
        root.put("store", false); // a translated response is kept nowhere
        echo.temperature().ifPresentOrElse(t -> root.put("temperature", t), () -> root.putNull("temperature"));
        root.putObject("text").set("format", format(echo.format()));
        root.set("tool_choice", toolChoice(echo.toolChoice().orElse(new ToolChoice.Auto())));
        ArrayNode tools = root.putArray("tools");
        echo.tools().forEach(tool -> tools.add(tool(tool)));
        echo.topP().ifPresentOrElse(p -> root.put("top_p", p), () -> root.putNull("top_p"));
        root.put("truncation", "disabled");
        if (usage.input().isPresent() && usage.output().isPresent()) {
            root.set("usage", usage(usage));
        } else {
            root.putNull("usage");
        }
        echo.user().ifPresentOrElse(user -> root.put("user", user), () -> root.putNull("user"));
        root.set("metadata", echo.metadata().deepCopy());
        return root;
    }

    private ObjectNode usage(Usage usage) {
        long input = usage.input().getAsLong();
        long output = usage.output().getAsLong();
        ObjectNode node = json.createObjectNode();
        node.put("input_tokens", input);
        node.putObject("input_tokens_details").put("cached_tokens", usage.cacheRead().orElse(0));
        node.put("output_tokens", output);
        node.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoning().orElse(0));
        node.put("total_tokens", input + output);
        return node;
    }

    /** {@code error.code} is a closed vocabulary in the SDK: rate limits are named, everything else is the server's. */
    static String errorCode(ChatError error) {
        return error.status() == 429 || error.type().contains("rate_limit") ? "rate_limit_exceeded" : "server_error";
    }

    private JsonNode format(ResponseFormat format) {
        ObjectNode node = json.createObjectNode();
        switch (format) {
            case ResponseFormat.Text ignored -> node.put("type", "text");
            case ResponseFormat.JsonObject ignored -> node.put("type", "json_object");
            case ResponseFormat.JsonSchema schema -> {
                node.put("type", "json_schema").put("name", schema.name());
                node.set("schema", schema.schema().deepCopy());
                node.put("strict", schema.strict());
            }
        }
        return node;
    }

    private JsonNode toolChoice(ToolChoice choice) {
        return switch (choice) {
            case ToolChoice.Auto ignored -> json.getNodeFactory().textNode("auto");
            case ToolChoice.None ignored -> json.getNodeFactory().textNode("none");
            case ToolChoice.Required ignored -> json.getNodeFactory().textNode("required");
            case ToolChoice.Named named -> json.createObjectNode().put("type", "function").put("name", named.name());
        };
    }

    private JsonNode tool(Tool tool) {
        ObjectNode node = json.createObjectNode().put("type", "function").put("name", tool.name());
        tool.description().ifPresentOrElse(d -> node.put("description", d), () -> node.putNull("description"));
        node.set("parameters", tool.parameters().deepCopy());
        node.put("strict", tool.strict());
        return node;
    }
}
