package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A {@code batchEmbedContents} request, the texts it embeds (the gateway counts their tokens: Gemini
 * reports no usage for embeddings) and whether the caller asked for base64 vectors.
 */
public record GeminiEmbeddingsCall(String path, ObjectNode body, List<String> inputs, boolean base64) {

    public GeminiEmbeddingsCall {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        inputs = List.copyOf(inputs);
    }
}
