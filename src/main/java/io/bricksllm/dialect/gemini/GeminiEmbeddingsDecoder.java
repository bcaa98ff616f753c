package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.MalformedUpstreamException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * A {@code batchEmbedContents} response ({@code embeddings[].values}) as OpenAI's embeddings response.
 * Gemini reports no token usage for embeddings, so the caller passes the count it made of the inputs
 * (the gateway's token counter over {@link GeminiEmbeddingsCall#inputs()}); it goes in
 * {@code usage.prompt_tokens} and {@code total_tokens}. Base64 vectors are little-endian float32, as
 * OpenAI sends them.
 */
public final class GeminiEmbeddingsDecoder {

    private final ObjectMapper json;

    public GeminiEmbeddingsDecoder(ObjectMapper json) {
        this.json = json;
    }

    /** @param model the model as the caller named it; @param promptTokens the gateway's count of the inputs */
    public byte[] decode(byte[] body, GeminiEmbeddingsCall call, String model, long promptTokens) {
        JsonNode embeddings;
        try {
            JsonNode root = json.readTree(body);
            embeddings = root == null ? null : root.get("embeddings");
        } catch (IOException e) {
            throw new MalformedUpstreamException("gemini answered with a body that is not JSON");
        }
        if (embeddings == null || !embeddings.isArray() || embeddings.size() != call.inputs().size()) {
            throw new MalformedUpstreamException("gemini answered without one embedding per input");
        }
        ObjectNode out = json.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        int index = 0;
        for (JsonNode embedding : embeddings) {
            JsonNode values = embedding.path("values");
            if (!values.isArray()) {
                throw new MalformedUpstreamException("gemini answered with an embedding without values");
            }
            ObjectNode item = data.addObject().put("object", "embedding").put("index", index++);
            if (call.base64()) {
                item.put("embedding", base64(values));
            } else {
                item.set("embedding", values);
            }
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        try {
            return json.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base64(JsonNode values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach(value -> buffer.putFloat(value.floatValue()));
        return Base64.getEncoder().encodeToString(buffer.array());
    }
}
