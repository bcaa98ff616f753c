package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One Titan text embeddings InvokeModel call: its path, its body, and how the caller wants the vector
 * back ({@code base64} is what the OpenAI SDKs ask for by default).
 */
public record TitanEmbeddingCall(String path, ObjectNode body, boolean base64) {

    public TitanEmbeddingCall {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
    }
}
