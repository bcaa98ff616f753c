package io.bricksllm.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/** A function the model may call; {@code parameters} is its JSON schema (treat as read-only). */
public record Tool(String name, Optional<String> description, JsonNode parameters, boolean strict) {

    public Tool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parameters, "parameters");
    }
}
