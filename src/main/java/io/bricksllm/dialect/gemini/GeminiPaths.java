package io.bricksllm.dialect.gemini;

import io.bricksllm.dialect.InvalidChatRequestException;
import java.util.regex.Pattern;

/**
 * The Google AI (Gemini API) paths, relative to the API root (setting field {@code url}, default
 * {@code https://generativelanguage.googleapis.com}). The model id is part of the path, not the body,
 * so it is checked here: a caller's model id must never add path segments or a query to the URL.
 */
public final class GeminiPaths {

    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private GeminiPaths() {
    }

    public static String generateContent(String model) {
        return "/v1beta/models/" + checked(model) + ":generateContent";
    }

    public static String streamGenerateContent(String model) {
        return "/v1beta/models/" + checked(model) + ":streamGenerateContent?alt=sse";
    }

    public static String batchEmbedContents(String model) {
        return "/v1beta/models/" + checked(model) + ":batchEmbedContents";
    }

    /**
     * What a native path ({@code …/models/gemini-2.5-flash:streamGenerateContent}) calls: the model its last segment
     * names and the custom method after the colon ("" when none, as in {@code GET …/models/gemini-2.5-flash}).
     */
    public record ModelCall(String model, String method) {
        public boolean streams() {
            return method.equals("streamGenerateContent");
        }
    }

    /** The model call of a native path; empty when the path names no model ({@code GET …/models}). */
    public static java.util.Optional<ModelCall> modelCall(String path) {
        int at = path.lastIndexOf("/models/");
        if (at < 0) return java.util.Optional.empty();
        String last = path.substring(at + "/models/".length());
        int colon = last.indexOf(':');
        String model = colon < 0 ? last : last.substring(0, colon);
        if (model.isEmpty() || last.indexOf('/') >= 0) return java.util.Optional.empty();
        return java.util.Optional.of(new ModelCall(model, colon < 0 ? "" : last.substring(colon + 1)));
    }

    /** The resource name Gemini wants inside batch embedding requests. */
    static String resourceName(String model) {
        return "models/" + checked(model);
    }

    private static String checked(String model) {
        if (model == null || !MODEL_ID.matcher(model).matches()) {
            throw new InvalidChatRequestException("model", "not a Gemini model id: letters, digits, '.', '_' and '-' only");
        }
        return model;
    }
}
