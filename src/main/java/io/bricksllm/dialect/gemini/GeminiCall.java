package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A Gemini request: the path (which names the model and, for streams, the SSE method) and the
 * {@code generateContent} body. The key goes in the {@code x-goog-api-key} header, never the path.
 */
public record GeminiCall(String path, ObjectNode body) {

    public GeminiCall {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
    }
}
