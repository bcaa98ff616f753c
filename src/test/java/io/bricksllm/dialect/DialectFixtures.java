package io.bricksllm.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Golden fixtures under {@code src/test/resources/dialect/}. */
public final class DialectFixtures {

    public static final ObjectMapper JSON = new ObjectMapper();

    private DialectFixtures() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = DialectFixtures.class.getResourceAsStream("/dialect/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String path) {
        return parse(bytes(path));
    }

    public static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The {@code data:} payloads of an SSE transcript, in order: JSON parsed (so comparisons are
     * semantic), {@code [DONE]} kept as the text node "[DONE]".
     */
    public static List<JsonNode> sseData(String transcript) {
        List<JsonNode> frames = new ArrayList<>();
        for (String frame : transcript.split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            if (!frame.startsWith("data: ") || frame.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("not a single-line data frame: " + frame);
            }
            String data = frame.substring(6);
            frames.add("[DONE]".equals(data) ? JSON.getNodeFactory().textNode(data) : parse(data.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        return frames;
    }
}
