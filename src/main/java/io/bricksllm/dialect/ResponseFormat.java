package io.bricksllm.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

public sealed interface ResponseFormat {

    record Text() implements ResponseFormat {
    }

    /** Any single JSON object. */
    record JsonObject() implements ResponseFormat {
    }

    /** JSON following {@code schema} (treat as read-only). */
    record JsonSchema(String name, JsonNode schema, boolean strict) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
        }
    }
}
