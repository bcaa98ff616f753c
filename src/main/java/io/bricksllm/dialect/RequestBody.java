package io.bricksllm.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** A caller's request body as the JSON object every ingress decoder reads, or the 400 that says why it is not one. */
public final class RequestBody {
    private RequestBody() {}

    public static JsonNode parse(ObjectMapper json, byte[] body) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (IOException e) {
            throw new InvalidChatRequestException("body", "is not valid JSON");
        }
        return object(request);
    }

    public static JsonNode object(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw new InvalidChatRequestException("body", "must be a JSON object");
        }
        return request;
    }
}
