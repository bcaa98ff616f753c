package io.bricksllm.dialect.responses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.openai.OpenAiErrorEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Errors for Responses API callers: the body is OpenAI's {@code {"error":{"message","type","param","code"}}} (the
 * Responses API answers errors as chat completions does), and a stream that fails before any response event — or
 * without a canonical failure — ends with the Responses {@code error} event. A failure inside a stream that started
 * is {@code response.failed}, written by {@link ResponsesStreamEncoder}.
 */
public final class ResponsesErrorEncoder {

    private final ObjectMapper json;
    private final OpenAiErrorEncoder body;

    public ResponsesErrorEncoder(ObjectMapper json) {
        this.json = json;
        this.body = new OpenAiErrorEncoder(json);
    }

    public byte[] encode(ChatError error) {
        return body.encode(error);
    }

    /** The {@code error} event as the first (and last) event of a stream. */
    public byte[] streamEvent(ChatError error) {
        return streamEvent(error, 0);
    }

    /** The {@code error} event numbered {@code sequenceNumber}, to end a stream that already sent earlier events. */
    public byte[] streamEvent(ChatError error, int sequenceNumber) {
        ObjectNode data = json.createObjectNode().put("type", "error").put("code", error.type())
                .put("message", error.message());
        data.putNull("param");
        data.put("sequence_number", sequenceNumber);
        return frame(json, "error", data);
    }

    static byte[] frame(ObjectMapper json, String event, ObjectNode data) {
        byte[] payload = ResponsesJson.bytes(json, data);
        byte[] head = ("event: " + event + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + payload.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        out[out.length - 2] = '\n';
        out[out.length - 1] = '\n';
        return out;
    }
}
