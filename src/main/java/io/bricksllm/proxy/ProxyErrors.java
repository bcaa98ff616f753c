package io.bricksllm.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.store.Json;
import io.vertx.core.http.HttpServerResponse;

/** Writes proxy errors in the OpenAI envelope: {@code {"error":{"code":"403","message":"[BricksLLM] …","type":""}}}. */
public final class ProxyErrors {
    private ProxyErrors() {}

    public static String body(int status, String message, String type) {
        ObjectNode err = Json.MAPPER.createObjectNode();
        ObjectNode inner = err.putObject("error");
        inner.put("code", String.valueOf(status));
        inner.put("message", "[BricksLLM] " + message);
        inner.put("type", type);
        return err.toString();
    }

    /** Anthropic's shape, so that the Anthropic SDKs raise typed errors: {@code {"type":"error","error":{…}}}. */
    public static void writeAnthropic(HttpServerResponse response, int status, String message, String type) {
        if (response.ended() || response.closed() || response.headWritten()) return;
        ObjectNode err = Json.MAPPER.createObjectNode();
        err.put("type", "error");
        ObjectNode inner = err.putObject("error");
        inner.put("type", type);
        inner.put("message", "[BricksLLM] " + message);
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(err.toString());
    }

    public static void write(HttpServerResponse response, int status, String message, String type) {
        if (response.ended() || response.closed() || response.headWritten()) return;
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body(status, message, type));
    }
}
