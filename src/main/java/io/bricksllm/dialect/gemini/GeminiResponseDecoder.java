package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Part;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * A {@code generateContent} response as a canonical answer. A prompt blocked by Gemini's filters
 * ({@code promptFeedback.blockReason}, no candidates) is an empty answer finished by
 * {@code content_filter}, as OpenAI reports its own filter.
 */
public final class GeminiResponseDecoder {

    private final ObjectMapper json;
    private final GeminiPartsReader parts;

    public GeminiResponseDecoder(ObjectMapper json) {
        this.json = json;
        this.parts = new GeminiPartsReader(json);
    }

    /** @param upstreamModel the model asked for, named when Gemini does not report {@code modelVersion} */
    public ChatResponse decode(byte[] body, String upstreamModel) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new MalformedUpstreamException("gemini answered with a body that is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedUpstreamException("gemini answered with a body that is not a JSON object");
        }
        String id = responseId(root);
        String model = root.path("modelVersion").asText(upstreamModel);
        JsonNode candidate = root.path("candidates").path(0);
        if (candidate.isMissingNode()) {
            if (!root.path("promptFeedback").path("blockReason").isTextual()) {
                throw new MalformedUpstreamException("gemini answered without candidates");
            }
            return new ChatResponse(id, model, List.of(), FinishReason.CONTENT_FILTER, GeminiUsage.read(root.get("usageMetadata")));
        }
        List<Part> read = parts.read(candidate, id, 0);
        boolean called = read.stream().anyMatch(Part.ToolCall.class::isInstance);
        return new ChatResponse(id, model, read,
                GeminiFinishReasons.finishReason(candidate.path("finishReason").textValue(), called),
                GeminiUsage.read(root.get("usageMetadata")));
    }

    /** Gemini's {@code responseId}; an older or proxied answer without one gets a fresh id. */
    static String responseId(JsonNode root) {
        String id = root.path("responseId").asText("");
        return id.isEmpty() ? "gemini-" + UUID.randomUUID() : id;
    }
}
