package io.bricksllm.dialect.bedrock;

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
 * A Titan embeddings answer ({@code {"embedding": [...], "inputTextTokenCount": n}}) in OpenAI's
 * {@code list} shape, with usage. {@code base64} vectors are little-endian float32, as OpenAI sends them.
 */
public final class TitanEmbeddingsDecoder {

    private final ObjectMapper json;

    public TitanEmbeddingsDecoder(ObjectMapper json) {
        this.json = json;
    }

    /** @param model the model name to show the caller */
    public byte[] decode(byte[] body, String model, TitanEmbeddingCall call) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new MalformedUpstreamException("bedrock answered with a body that is not JSON");
        }
        JsonNode vector = root == null ? null : root.get("embedding");
        if (vector == null || !vector.isArray()) {
            throw new MalformedUpstreamException("bedrock answered without an embedding");
        }
        ObjectNode out = json.createObjectNode().put("object", "list");
        ObjectNode item = out.putArray("data").addObject().put("object", "embedding").put("index", 0);
        if (call.base64()) {
            ByteBuffer floats = ByteBuffer.allocate(vector.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            vector.forEach(value -> floats.putFloat(value.floatValue()));
            item.put("embedding", Base64.getEncoder().encodeToString(floats.array()));
        } else {
            ArrayNode values = item.putArray("embedding");
            vector.forEach(value -> values.add(value.doubleValue()));
        }
        out.put("model", model);
        JsonNode tokens = root.get("inputTextTokenCount");
        if (tokens != null && tokens.isIntegralNumber()) { // an invented 0 would be billed as real
            out.putObject("usage").put("prompt_tokens", tokens.longValue()).put("total_tokens", tokens.longValue());
        }
        try {
            return json.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
