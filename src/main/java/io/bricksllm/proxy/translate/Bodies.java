package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.UncheckedIOException;

/** A JSON tree as request bytes. */
final class Bodies {
    private Bodies() {}

    static Buffer of(ObjectMapper json, JsonNode body) {
        try {
            return Buffer.buffer(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree we built always serialises
        }
    }
}
