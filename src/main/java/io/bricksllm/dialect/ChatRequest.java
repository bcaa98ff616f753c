package io.bricksllm.dialect;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chat request in no provider's dialect. System prompts stay {@link Role#SYSTEM} messages in
 * their original position; each target dialect decides where they go.
 */
public record ChatRequest(String model, List<Message> messages, List<Tool> tools, Optional<ToolChoice> toolChoice,
        Optional<Boolean> parallelToolCalls, ResponseFormat responseFormat, Sampling sampling,
        Optional<String> user, Streaming streaming) {

    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        Objects.requireNonNull(toolChoice, "toolChoice");
        Objects.requireNonNull(parallelToolCalls, "parallelToolCalls");
        Objects.requireNonNull(responseFormat, "responseFormat");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(streaming, "streaming");
    }
}
