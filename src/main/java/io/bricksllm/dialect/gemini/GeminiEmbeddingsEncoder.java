package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI embeddings request ({@code input} a string or a list of strings, optional
 * {@code dimensions} and {@code encoding_format}) as a Gemini {@code batchEmbedContents} body: one
 * request per input. Token arrays are refused: Gemini embeds text only. {@code user} is left out.
 */
public final class GeminiEmbeddingsEncoder {

    private final ObjectMapper json;

    public GeminiEmbeddingsEncoder(ObjectMapper json) {
        this.json = json;
    }

    /** @param upstreamModel the model id as Gemini names it (the caller's prefix already removed) */
    public GeminiEmbeddingsCall encode(JsonNode openAiRequest, String upstreamModel) {
        List<String> inputs = inputs(openAiRequest.path("input"));
        String model = GeminiPaths.resourceName(upstreamModel);
        JsonNode dimensions = openAiRequest.get("dimensions");
        if (dimensions != null && !dimensions.isNull() && !(dimensions.isIntegralNumber() && dimensions.intValue() > 0)) {
            throw new InvalidChatRequestException("dimensions", "must be a positive integer");
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        for (String input : inputs) {
            ObjectNode request = requests.addObject().put("model", model);
            request.putObject("content").putArray("parts").addObject().put("text", input);
            if (dimensions != null && !dimensions.isNull()) {
                request.put("outputDimensionality", dimensions.intValue());
            }
        }
        String format = openAiRequest.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw new InvalidChatRequestException("encoding_format", "must be float or base64");
        }
        return new GeminiEmbeddingsCall(GeminiPaths.batchEmbedContents(upstreamModel), body, inputs,
                format.equals("base64"));
    }

    private static List<String> inputs(JsonNode input) {
        if (input.isTextual()) {
            return List.of(input.asText());
        }
        if (!input.isArray() || input.isEmpty()) {
            throw new InvalidChatRequestException("input", "must be a string or a non-empty list of strings");
        }
        List<String> inputs = new ArrayList<>(input.size());
        for (JsonNode item : input) {
            if (item.isNumber() || item.isArray()) {
                throw new UnsupportedByDialectException("input", GeminiRequestEncoder.PROVIDER,
                        "token arrays cannot be embedded; send text");
            }
            if (!item.isTextual()) {
                throw new InvalidChatRequestException("input", "must be a string or a non-empty list of strings");
            }
            inputs.add(item.asText());
        }
        return inputs;
    }
}
