package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A Messages API request body, and the name of the tool whose input is the answer when the caller
 * asked for {@code json_object} output (the response and stream decoders turn that tool's input
 * back into text).
 */
public record AnthropicCall(ObjectNode body, Optional<String> answerTool) {

    public AnthropicCall {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(answerTool, "answerTool");
    }
}
