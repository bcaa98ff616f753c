package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatError;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A canonical error in Anthropic's shape, {@code {"type":"error","error":{"type","message"}}}, as a body and as a
 * stream's {@code error} event, so the Anthropic SDKs raise their typed errors. A type Anthropic does not define
 * (another provider's, e.g. {@code upstream_error}) becomes {@code api_error}.
 */
public final class AnthropicErrorEncoder {

    private static final Set<String> TYPES = Set.of("invalid_request_error", "authentication_error", "permission_error",
            "not_found_error", "request_too_large", "rate_limit_error", "api_error", "overloaded_error", "timeout_error");

    private final ObjectMapper json;

    public AnthropicErrorEncoder(ObjectMapper json) {
        this.json = json;
    }

    public byte[] encode(ChatError error) {
        ObjectNode root = json.createObjectNode();
        root.put("type", "error");
        ObjectNode inner = root.putObject("error");
        inner.put("type", TYPES.contains(error.type()) ? error.type() : "api_error");
        inner.put("message", error.message());
        try {
            return json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree we built always serialises
        }
    }

    /** The error as a stream's last event: {@code event: error}. */
    public byte[] event(ChatError error) {
        String data = new String(encode(error), StandardCharsets.UTF_8);
        return ("event: error\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
