package io.bricksllm.unified;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Upstream answers taken from the dialects' golden fixtures (src/test/resources/dialect/**), and JSON helpers. */
public final class Golden {
    private Golden() {}

    public static String text(String resource) {
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) throw new AssertionError("no test resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String resource) {
        return parse(text(resource));
    }

    /** An SSE transcript split into whole events (the blank line between them removed), for MockUpstream.Reply.sse. */
    public static List<String> sseEvents(String resource) {
        return Arrays.stream(text(resource).replace("\r\n", "\n").split("\n\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    public static JsonNode parse(byte[] json) {
        return parse(new String(json, StandardCharsets.UTF_8));
    }
}
