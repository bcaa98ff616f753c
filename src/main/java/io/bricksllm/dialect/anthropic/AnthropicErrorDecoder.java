package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatError;
import java.io.IOException;

/** Anthropic's {@code {"type":"error","error":{"type","message"}}} as a canonical error, the upstream status kept. */
public final class AnthropicErrorDecoder {

    private final ObjectMapper json;

    public AnthropicErrorDecoder(ObjectMapper json) {
        this.json = json;
    }

    public ChatError decode(int status, byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root != null) {
                return fromError(status, root.path("error"));
            }
        } catch (IOException e) {
            // not JSON: answered below without echoing the body
        }
        return new ChatError(status, "upstream_error", "anthropic answered with status " + status);
    }

    /** An error object from a body or a stream's {@code error} event (which carries no status: derived from the type). */
    static ChatError fromError(int status, JsonNode error) {
        String type = error.path("type").asText("");
        if (type.isEmpty()) {
            return new ChatError(status, "upstream_error", "anthropic answered with status " + status);
        }
        String message = error.path("message").asText("anthropic reported " + type);
        return new ChatError(status, type, message);
    }

    static int statusOf(String type) {
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }
}
