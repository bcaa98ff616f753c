package io.bricksllm.dialect;

import java.util.List;
import java.util.Objects;

/** A finished (non-streamed) assistant answer: one choice. */
public record ChatResponse(String id, String model, List<Part> parts, FinishReason finishReason, Usage usage) {

    public ChatResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        parts = List.copyOf(parts);
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(usage, "usage");
    }
}
