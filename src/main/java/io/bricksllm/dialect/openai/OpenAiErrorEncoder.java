package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatError;
import java.io.UncheckedIOException;

/** OpenAI's error body {@code {"error":{"message","type","param","code"}}}; the status travels separately. */
public final class OpenAiErrorEncoder {

    private final ObjectMapper json;

    public OpenAiErrorEncoder(ObjectMapper json) {
        this.json = json;
    }

    public byte[] encode(ChatError error) {
        try {
            return json.writeValueAsBytes(body(error));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectNode body(ChatError error) {
        ObjectNode root = json.createObjectNode();
        root.putObject("error").put("message", error.message()).put("type", error.type()).putNull("param")
                .putNull("code");
        return root;
    }
}
