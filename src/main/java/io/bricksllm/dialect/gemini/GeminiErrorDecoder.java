package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatError;
import java.io.IOException;

/**
 * Google's {@code {"error":{"code","message","status"}}} (sometimes wrapped in an array) as a
 * canonical error: the upstream HTTP status kept, Google's status name mapped to OpenAI's error type.
 */
public final class GeminiErrorDecoder {

    private final ObjectMapper json;

    public GeminiErrorDecoder(ObjectMapper json) {
        this.json = json;
    }

    public ChatError decode(int status, byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root != null && root.isArray()) {
                root = root.path(0);
            }
            if (root != null && root.path("error").isObject()) {
                return fromError(status, root.get("error"));
            }
        } catch (IOException e) {
            // not JSON: answered below without echoing the body
        }
        return new ChatError(status, "upstream_error", "gemini answered with status " + status);
    }

    /** An error object from a body or from a stream event (whose status is its {@code code}). */
    static ChatError fromError(int status, JsonNode error) {
        String googleStatus = error.path("status").asText("");
        String message = error.path("message").asText("");
        if (message.isEmpty()) {
            message = "gemini answered with status " + status + (googleStatus.isEmpty() ? "" : " " + googleStatus);
        }
        return new ChatError(status, type(googleStatus, status), message);
    }

    private static String type(String googleStatus, int status) {
        return switch (googleStatus) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> "invalid_request_error";
            case "UNAUTHENTICATED" -> "authentication_error";
            case "PERMISSION_DENIED" -> "permission_error";
            case "NOT_FOUND" -> "not_found_error";
            case "RESOURCE_EXHAUSTED" -> "rate_limit_error";
            case "DEADLINE_EXCEEDED" -> "timeout_error";
            default -> status >= 500 || googleStatus.isEmpty() ? "api_error" : googleStatus.toLowerCase(java.util.Locale.ROOT);
        };
    }
}
