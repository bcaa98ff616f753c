package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A Converse request body (the model id goes in the path, see {@link BedrockPaths}), and the name of
 * the forced tool whose input is the answer when the caller asked for JSON output: the response and
 * stream decoders turn that tool's input back into text.
 */
public record BedrockCall(ObjectNode body, Optional<String> answerTool) {

    public BedrockCall {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(answerTool, "answerTool");
    }
}
