package io.bricksllm.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ReasoningEffort;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Tool;
import io.bricksllm.dialect.ToolChoice;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What a Responses {@code response} object repeats of the request that made it ({@code instructions},
 * {@code tools}, {@code tool_choice}, {@code temperature}, …): the SDKs require several of these fields.
 * {@code metadata} is read-only JSON (an object).
 */
public record ResponsesEcho(Optional<String> instructions, JsonNode metadata, List<Tool> tools,
        Optional<ToolChoice> toolChoice, boolean parallelToolCalls, OptionalDouble temperature, OptionalDouble topP,
        OptionalInt maxOutputTokens, Optional<ReasoningEffort> reasoningEffort, ResponseFormat format,
        Optional<String> user) {

    public ResponsesEcho {
        Objects.requireNonNull(instructions, "instructions");
        Objects.requireNonNull(metadata, "metadata");
        tools = List.copyOf(tools);
        Objects.requireNonNull(toolChoice, "toolChoice");
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(topP, "topP");
        Objects.requireNonNull(maxOutputTokens, "maxOutputTokens");
        Objects.requireNonNull(reasoningEffort, "reasoningEffort");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(user, "user");
    }

    /**
     * The echo of a caller's request: {@code instructions} and {@code metadata} as the caller sent them (the
     * canonical request merges instructions into its messages and has no metadata), the rest from {@code decoded}.
     * Call after {@link ResponsesRequestDecoder#decode(JsonNode)} accepted {@code request}.
     */
    public static ResponsesEcho of(JsonNode request, ChatRequest decoded) {
        JsonNode instructions = request.path("instructions");
        JsonNode metadata = request.path("metadata");
        return of(decoded, instructions.isTextual() ? Optional.of(instructions.textValue()) : Optional.empty(),
                metadata.isObject() ? metadata : JsonNodeFactory.instance.objectNode());
    }

    /** The echo of a canonical request that came from elsewhere: no instructions, empty metadata. */
    public static ResponsesEcho of(ChatRequest decoded) {
        return of(decoded, Optional.empty(), JsonNodeFactory.instance.objectNode());
    }

    private static ResponsesEcho of(ChatRequest decoded, Optional<String> instructions, JsonNode metadata) {
        return new ResponsesEcho(instructions, metadata, decoded.tools(), decoded.toolChoice(),
                decoded.parallelToolCalls().orElse(true), decoded.sampling().temperature(), decoded.sampling().topP(),
                decoded.sampling().maxOutputTokens(), decoded.sampling().reasoningEffort(), decoded.responseFormat(),
                decoded.user());
    }
}
