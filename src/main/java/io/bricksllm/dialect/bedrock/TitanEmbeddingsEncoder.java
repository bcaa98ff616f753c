package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.UnsupportedByDialectException;

/**
 * An OpenAI embeddings request as an Amazon Titan text embeddings call. Titan embeds one
 * {@code inputText} per call, so {@code input} must be one string (or a list of exactly one); a list
 * of several is refused rather than fanned out into several billed calls behind the caller's back.
 * Token arrays cannot be sent (Titan takes text). {@code dimensions} maps to Titan v2's own field.
 */
public final class TitanEmbeddingsEncoder {

    private final ObjectMapper json;

    public TitanEmbeddingsEncoder(ObjectMapper json) {
        this.json = json;
    }

    /** @param modelId the Bedrock model id, e.g. {@code amazon.titan-embed-text-v2:0} */
    public TitanEmbeddingCall encode(JsonNode request, String modelId) {
        if (request == null || !request.isObject()) {
            throw new InvalidChatRequestException("body", "must be a JSON object");
        }
        ObjectNode body = json.createObjectNode().put("inputText", text(request.path("input")));
        JsonNode dimensions = request.get("dimensions");
        if (dimensions != null && !dimensions.isNull()) {
            if (!dimensions.isIntegralNumber() || dimensions.intValue() < 1) {
                throw new InvalidChatRequestException("dimensions", "must be a positive integer");
            }
            body.put("dimensions", dimensions.intValue());
        }
        String format = request.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw new InvalidChatRequestException("encoding_format", "must be float or base64");
        }
        return new TitanEmbeddingCall(BedrockPaths.invoke(modelId), body, format.equals("base64"));
    }

    private static String text(JsonNode input) {
        if (input.isTextual()) {
            return input.textValue();
        }
        if (input.isArray()) {
            if (input.size() == 1 && input.get(0).isTextual()) {
                return input.get(0).textValue();
            }
            if (input.size() > 1 && input.get(0).isTextual()) {
                throw new UnsupportedByDialectException("input", BedrockRequestEncoder.PROVIDER,
                        "Titan embeds one text per request; send the texts one by one");
            }
            throw new UnsupportedByDialectException("input", BedrockRequestEncoder.PROVIDER,
                    "Titan embeds text, not token arrays");
        }
        throw new InvalidChatRequestException("input", "must be a string or an array of strings");
    }
}
