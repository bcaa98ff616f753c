package io.bricksllm.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.store.Json;
import io.vertx.core.http.HttpServerResponse;

/**
 * The gateway's own error bodies in the envelope each caller's SDK parses; which one a caller gets is its dialect's
 * choice ({@link io.bricksllm.provider.UsageDialect#errorBody}). Every message starts with {@code [BricksLLM]}.
 */
public final class ProxyErrors {
    private ProxyErrors() {}

    /** OpenAI's envelope, as the original wrote it: {@code {"error":{"code":"403","message":"[BricksLLM] …","type":"…"}}}. */
    public static String body(int status, String message, String type) {
        ObjectNode err = Json.MAPPER.createObjectNode();
        ObjectNode inner = err.putObject("error");
        inner.put("code", String.valueOf(status));
        inner.put("message", "[BricksLLM] " + message);
        inner.put("type", type);
        return err.toString();
    }

    /**
     * The end of a Responses API stream the upstream broke off (the API has no {@code [DONE]}): its own {@code error}
     * event ({@code {"type":"error","code":…,"message":…}}) for clients that read events by type, carrying OpenAI's
     * {@code error} envelope as well, since the official SDKs raise on a streamed {@code error} field and would
     * otherwise hand the caller an ordinary event and a stream that simply stops.
     */
    public static String responsesStreamTail(String message) {
        ObjectNode err = Json.MAPPER.createObjectNode();
        err.put("type", "error");
        err.put("code", "bricksllm_error");
        err.put("message", "[BricksLLM] " + message);
        err.putNull("param");
        err.putObject("error").put("message", "[BricksLLM] " + message).put("type", "bricksllm_error");
        return "event: error\ndata: " + err + "\n\n";
    }

    /** Anthropic's shape, so that the Anthropic SDKs raise typed errors: {@code {"type":"error","error":{…}}}. */
    public static String anthropicBody(String message, String type) {
        ObjectNode err = Json.MAPPER.createObjectNode();
        err.put("type", "error");
        ObjectNode inner = err.putObject("error");
        inner.put("type", type);
        inner.put("message", "[BricksLLM] " + message);
        return err.toString();
    }

    /**
     * Google's shape ({@code google.rpc.Status}), which the google-genai SDKs read into their errors:
     * {@code {"error":{"code":403,"message":"[BricksLLM] …","status":"PERMISSION_DENIED"}}}.
     */
    public static String googleBody(int status, String message) {
        ObjectNode err = Json.MAPPER.createObjectNode();
        ObjectNode inner = err.putObject("error");
        inner.put("code", status);
        inner.put("message", "[BricksLLM] " + message);
        inner.put("status", googleStatus(status));
        return err.toString();
    }

    /** The canonical gRPC code name Google pairs with an HTTP status. */
    static String googleStatus(int status) {
        return switch (status) {
            case 400, 413 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 502, 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "INTERNAL";
        };
    }

    /** Ends {@code response} with {@code body} unless an answer already started. */
    public static void write(HttpServerResponse response, int status, String body) {
        if (response.ended() || response.closed() || response.headWritten()) return;
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
