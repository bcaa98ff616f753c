package io.bricksllm.dialect.bedrock;

import static io.bricksllm.dialect.DialectFixtures.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A ConverseStream body built from a JSON transcript with the AWS SDK's own event-stream encoder:
 * each entry is {@code {"event": <type>, "payload": …}} or {@code {"exception": <type>, "payload": …}}.
 */
final class BedrockEventStreams {

    private BedrockEventStreams() {
    }

    static byte[] encode(JsonNode transcript) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode entry : transcript) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            if (entry.has("exception")) {
                headers.put(":message-type", HeaderValue.fromString("exception"));
                headers.put(":exception-type", HeaderValue.fromString(entry.get("exception").asText()));
            } else {
                headers.put(":message-type", HeaderValue.fromString("event"));
                headers.put(":event-type", HeaderValue.fromString(entry.get("event").asText()));
            }
            headers.put(":content-type", HeaderValue.fromString("application/json"));
            new Message(headers, payload(entry.get("payload"))).encode(out);
        }
        return out.toByteArray();
    }

    private static byte[] payload(JsonNode payload) {
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
