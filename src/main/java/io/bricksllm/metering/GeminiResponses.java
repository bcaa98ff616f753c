package io.bricksllm.metering;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.gemini.GeminiUsage;
import io.bricksllm.store.Json;
import java.io.IOException;
import java.util.Optional;

/**
 * Metering of Gemini's native API ({@code generateContent}, {@code streamGenerateContent}, {@code embedContent}):
 * usage from {@code usageMetadata} (read by the dialect's {@link GeminiUsage}), the answering model from
 * {@code modelVersion}, and the texts the gateway counts when no usage came (embeddings report none).
 */
public final class GeminiResponses {

    private GeminiResponses() {
    }

    /**
     * A JSON answer: one response object, or the array {@code streamGenerateContent} sends without {@code alt=sse},
     * whose last element carrying {@code usageMetadata} holds the totals. Never throws.
     */
    public static ResponseMeta fromResponse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            return ResponseMeta.NONE;
        }
        if (root == null) return ResponseMeta.NONE;
        Optional<Usage> usage = Optional.empty();
        Optional<String> model = Optional.empty();
        for (JsonNode response : root.isArray() ? root : java.util.List.of(root)) {
            Optional<Usage> u = usageOf(response);
            if (u.isPresent()) usage = u;
            if (model.isEmpty()) model = modelOf(response);
        }
        return new ResponseMeta(usage, model);
    }

    /** The usage of one response or stream chunk; empty when it carries no {@code usageMetadata}. */
    static Optional<Usage> usageOf(JsonNode response) {
        JsonNode metadata = response.get("usageMetadata");
        return metadata == null || !metadata.isObject() ? Optional.empty() : Usage.of(GeminiUsage.read(metadata));
    }

    static Optional<String> modelOf(JsonNode response) {
        JsonNode version = response.get("modelVersion");
        return version != null && version.isTextual() && !version.asText().isEmpty() ? Optional.of(version.asText()) : Optional.empty();
    }

    /**
     * The text a request sends the model: the parts of {@code systemInstruction} and {@code contents}
     * ({@code generateContent}), of {@code content} ({@code embedContent}) and of each of {@code requests}
     * ({@code batchEmbedContents}).
     */
    public static String promptText(JsonNode request) {
        StringBuilder text = new StringBuilder();
        partsText(request.path("systemInstruction"), text);
        for (JsonNode content : request.path("contents")) partsText(content, text);
        partsText(request.path("content"), text);
        for (JsonNode embed : request.path("requests")) partsText(embed.path("content"), text);
        return text.toString();
    }

    /** The text of an answer's candidates, thoughts included (they are billed as output). */
    public static String answerText(JsonNode response) {
        StringBuilder text = new StringBuilder();
        for (JsonNode candidate : response.path("candidates")) partsText(candidate.path("content"), text);
        return text.toString();
    }

    static void partsText(JsonNode content, StringBuilder into) {
        for (JsonNode part : content.path("parts")) {
            JsonNode t = part.get("text");
            if (t != null && t.isTextual()) into.append(t.asText());
        }
    }
}
