package io.bricksllm.dialect;

import java.util.Objects;

/** An error to answer with: HTTP status, a machine-readable type and a message for people. */
public record ChatError(int status, String type, String message) {

    public ChatError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }
}
