package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatError;
import java.io.IOException;

/**
 * An OpenAI-compatible error body as a canonical error, the upstream status kept: OpenAI's and Azure's
 * {@code {"error":{"message","type","code"}}}, vLLM's flat {@code {"object":"error","message","type","code"}} and
 * {@code {"error":"message"}}; anything else gets a message naming the status, never the body echoed.
 */
public final class OpenAiErrorDecoder {

    private final ObjectMapper json;

    public OpenAiErrorDecoder(ObjectMapper json) {
        this.json = json;
    }

    public ChatError decode(int status, byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root != null && root.isObject()) {
                if (root.path("error").isObject()) {
                    return fromError(status, root.get("error"));
                }
                if (root.path("error").isTextual()) {
                    return new ChatError(status, "api_error", root.get("error").textValue());
                }
                if ("error".equals(root.path("object").asText()) && root.path("message").isTextual()) {
                    return fromError(status, root);
                }
            }
        } catch (IOException e) {
            // not JSON: answered below
        }
        return generic(status);
    }

    /** An error object from a body or a stream's error chunk. */
    static ChatError fromError(int status, JsonNode error) {
        String message = error.path("message").textValue();
        if (message == null || message.isEmpty()) {
            return generic(status);
        }
        return new ChatError(status, type(error), message);
    }

    /** The status of an error met mid-stream, which has no HTTP status of its own. */
    static int statusOf(JsonNode error) {
        JsonNode code = error.path("code");
        if (code.isIntegralNumber() && code.intValue() >= 400 && code.intValue() <= 599) {
            return code.intValue(); // vLLM puts the status there
        }
        return switch (type(error)) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "rate_limit_exceeded", "rate_limit_error", "insufficient_quota" -> 429;
            case "server_error" -> 500;
            default -> 502;
        };
    }

    private static String type(JsonNode error) {
        String type = error.path("type").textValue();
        if (type != null && !type.isEmpty()) {
            return type;
        }
        JsonNode code = error.path("code");
        if (code.isTextual() && !code.textValue().isEmpty()) {
            return code.textValue(); // Azure sends only a code
        }
        return "api_error";
    }

    private static ChatError generic(int status) {
        return new ChatError(status, "upstream_error", "the OpenAI-compatible upstream answered with status " + status);
    }
}
