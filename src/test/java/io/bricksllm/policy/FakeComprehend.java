package io.bricksllm.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.testing.MockUpstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local stand-in for AWS Comprehend speaking its JSON 1.1 protocol: {@code POST /} with
 * {@code X-Amz-Target: Comprehend_20171127.DetectPiiEntities}. It "detects" the phrases it was told about,
 * every occurrence, with offsets in code points as Comprehend gives them, and records every call.
 */
final class FakeComprehend implements AutoCloseable {
    static final String TARGET = "Comprehend_20171127.DetectPiiEntities";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the fake answers. */
    enum Mode { ANSWER, SERVER_ERROR, SPAN_OUTSIDE_TEXT, ENTITY_WITHOUT_OFFSETS, SLOW }

    /** One DetectPiiEntities call as received. */
    record Call(String target, String contentType, String authorization, String text, String languageCode) {}

    private final MockUpstream server = new MockUpstream();
    private final Map<String, String> phrases = new LinkedHashMap<>();
    private volatile Mode mode = Mode.ANSWER;
    private volatile Duration slowBy = Duration.ofSeconds(8);
    private volatile String failOn;

    FakeComprehend() {
        server.on("POST", "/", this::answer);
    }

    /** Reports every occurrence of {@code phrase} as an entity of this Comprehend type. */
    synchronized FakeComprehend knows(String phrase, String type) {
        phrases.put(phrase, type);
        return this;
    }

    FakeComprehend mode(Mode m) {
        mode = m;
        return this;
    }

    /** Answers with a server error for the texts containing {@code marker}, normally for the others. */
    FakeComprehend failOnTextsContaining(String marker) {
        failOn = marker;
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    List<Call> calls() {
        return server.received().stream().map(r -> {
            JsonNode body = parse(r.bodyText());
            return new Call(r.header("X-Amz-Target"), r.header("Content-Type"), r.header("Authorization"),
                    body.path("Text").asText(null), body.path("LanguageCode").asText(null));
        }).toList();
    }

    void reset() {
        server.reset();
        mode = Mode.ANSWER;
        failOn = null;
    }

    private MockUpstream.Reply answer(MockUpstream.Received r) {
        if (!TARGET.equals(r.header("X-Amz-Target"))) {
            return error(400, "UnknownOperationException", "fake: unexpected target " + r.header("X-Amz-Target"));
        }
        JsonNode req = parse(r.bodyText());
        String text = req.path("Text").asText("");
        if (!"en".equals(req.path("LanguageCode").asText())) return error(400, "ValidationException", "fake: language");
        ObjectNode out = JSON.createObjectNode();
        ArrayNode entities = out.putArray("Entities");
        synchronized (this) {
            phrases.forEach((phrase, type) -> {
                for (int i = text.indexOf(phrase); i >= 0; i = text.indexOf(phrase, i + phrase.length())) {
                    int begin = text.codePointCount(0, i);
                    entities.addObject().put("Score", 0.99).put("Type", type).put("BeginOffset", begin)
                            .put("EndOffset", begin + phrase.codePointCount(0, phrase.length()));
                }
            });
        }
        String marker = failOn;
        if (marker != null && text.contains(marker)) return error(500, "InternalServerException", "fake: failure for this text");
        return switch (mode) {
            case ANSWER -> reply(out);
            case SLOW -> reply(out).withDelay(slowBy);
            case SERVER_ERROR -> error(500, "InternalServerException", "fake: internal failure");
            case SPAN_OUTSIDE_TEXT -> {
                entities.addObject().put("Score", 0.9).put("Type", "NAME").put("BeginOffset", 0)
                        .put("EndOffset", text.codePointCount(0, text.length()) + 5);
                yield reply(out);
            }
            case ENTITY_WITHOUT_OFFSETS -> {
                entities.addObject().put("Score", 0.9).put("Type", "NAME");
                yield reply(out);
            }
        };
    }

    private static MockUpstream.Reply reply(ObjectNode body) {
        return MockUpstream.Reply.bytes(200, CONTENT_TYPE, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static MockUpstream.Reply error(int status, String type, String message) {
        ObjectNode e = JSON.createObjectNode().put("__type", type).put("message", message);
        return MockUpstream.Reply.bytes(status, CONTENT_TYPE, e.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** Dummy AWS credentials for the SDK's default chain (system properties come first in it). */
    static void useDummyCredentials() {
        System.setProperty("aws.accessKeyId", "AKIDFAKEFORTESTS");
        System.setProperty("aws.secretAccessKey", "fake-secret-for-tests");
    }

    static void clearDummyCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }
}
