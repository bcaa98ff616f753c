package io.bricksllm.unified;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.MockUpstream.Received;
import io.bricksllm.testing.MockUpstream.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Gemini API (Google AI, v1beta) as a strict upstream: key in {@code x-goog-api-key}, contents with roles
 * user/model, function responses in the turn right after the function calls they answer, and Google's error
 * shape when it would refuse.
 */
public final class GeminiApi {
    private GeminiApi() {}

    public static String generatePath(String model) {
        return "/v1beta/models/" + model + ":generateContent";
    }

    public static String streamPath(String model) {
        return "/v1beta/models/" + model + ":streamGenerateContent";
    }

    public static String batchEmbedPath(String model) {
        return "/v1beta/models/" + model + ":batchEmbedContents";
    }

    /** {@code generateContent} (streaming = false) or {@code streamGenerateContent?alt=sse} (streaming = true). */
    public static Function<Received, Reply> generate(String apiKey, boolean streaming, Function<JsonNode, Reply> answer) {
        return r -> {
            Optional<Reply> refused = refuseKey(r, apiKey);
            if (refused.isPresent()) return refused.get();
            if (streaming && (r.query() == null || !r.query().contains("alt=sse"))) {
                // without alt=sse Google streams one JSON array, not SSE: a gateway that forgot it would misread the answer
                return error(400, "INVALID_ARGUMENT", "stream without alt=sse: expected query alt=sse, got " + r.query());
            }
            JsonNode body = parse(r);
            if (body == null) return error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
            Optional<String> problem = problem(body);
            return problem.isPresent() ? error(400, "INVALID_ARGUMENT", problem.get()) : answer.apply(body);
        };
    }

    public static Function<Received, Reply> batchEmbed(String apiKey, String model, Function<JsonNode, Reply> answer) {
        return r -> {
            Optional<Reply> refused = refuseKey(r, apiKey);
            if (refused.isPresent()) return refused.get();
            JsonNode body = parse(r);
            if (body == null) return error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
            JsonNode requests = body.path("requests");
            if (!requests.isArray() || requests.isEmpty()) return error(400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests: contents is not specified");
            for (JsonNode q : requests) {
                if (!q.path("model").asText().equals("models/" + model)) {
                    return error(400, "INVALID_ARGUMENT", "Model names should start with `models/` and match the URL's model; got " + q.path("model"));
                }
                if (!q.path("content").path("parts").isArray() || q.path("content").path("parts").isEmpty()) {
                    return error(400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests[].content: contents is not specified");
                }
            }
            return answer.apply(body);
        };
    }

    private static Optional<Reply> refuseKey(Received r, String apiKey) {
        if (!apiKey.equals(r.header("x-goog-api-key"))) {
            return Optional.of(error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."));
        }
        return Optional.empty();
    }

    private static JsonNode parse(Received r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            return null;
        }
    }

    /** generateContent's top-level fields; Google refuses any other with "Unknown name". */
    public static final java.util.Set<String> FIELDS = java.util.Set.of("contents", "tools", "toolConfig", "safetySettings", "systemInstruction",
            "generationConfig", "cachedContent", "labels");

    public static Optional<String> problem(JsonNode body) {
        for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) return Optional.of("Invalid JSON payload received. Unknown name \"" + field + "\": Cannot find field.");
        }
        JsonNode contents = body.path("contents");
        if (!contents.isArray() || contents.isEmpty()) return Optional.of("* GenerateContentRequest.contents: contents is not specified");
        int pendingCalls = 0;
        for (int i = 0; i < contents.size(); i++) {
            JsonNode c = contents.get(i);
            String role = c.path("role").asText();
            if (!role.equals("user") && !role.equals("model")) {
                return Optional.of("Please use a valid role: user, model. (contents[" + i + "].role = '" + role + "')");
            }
            JsonNode parts = c.path("parts");
            if (!parts.isArray() || parts.isEmpty()) return Optional.of("* GenerateContentRequest.contents[" + i + "].parts: contents.parts must not be empty.");
            int calls = 0;
            int responses = 0;
            for (JsonNode p : parts) {
                if (p.has("functionCall")) calls++;
                if (p.has("functionResponse")) responses++;
                if (p.has("inlineData") && (!p.get("inlineData").path("mimeType").isTextual() || !p.get("inlineData").path("data").isTextual())) {
                    return Optional.of("* GenerateContentRequest.contents[" + i + "]: inlineData needs mimeType and data");
                }
            }
            if (calls > 0 && !role.equals("model")) return Optional.of("function calls must be in a model turn (contents[" + i + "])");
            if (responses > 0) {
                if (!role.equals("user")) return Optional.of("function responses must be in a user turn (contents[" + i + "])");
                if (pendingCalls == 0) {
                    return Optional.of("Please ensure that function response turn comes immediately after a function call turn.");
                }
                if (responses != pendingCalls) {
                    return Optional.of("Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.");
                }
            } else if (pendingCalls > 0) {
                return Optional.of("Please ensure that function call turn comes immediately after a user turn or after a function response turn.");
            }
            pendingCalls = calls;
        }
        return Optional.empty();
    }

    public static Reply error(int status, String googleStatus, String message) {
        return Reply.json(status, Json.write(Map.of("error", Map.of("code", status, "message", message, "status", googleStatus))));
    }

    /** A generateContent answer with one text candidate. */
    public static String textAnswer(String model, String text, long prompt, long candidates) {
        return Json.write(Map.of(
                "candidates", List.of(Map.of("content", Map.of("role", "model", "parts", List.of(Map.of("text", text))),
                        "finishReason", "STOP", "index", 0)),
                "usageMetadata", Map.of("promptTokenCount", prompt, "candidatesTokenCount", candidates, "totalTokenCount", prompt + candidates),
                "modelVersion", model, "responseId", "resp-e2e"));
    }

    /** SSE events of a streamed answer, one text piece each, the usage and STOP in the last. */
    public static List<String> textStream(String model, List<String> pieces, long prompt, long candidates) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            boolean last = i == pieces.size() - 1;
            Map<String, Object> candidate = new java.util.LinkedHashMap<>();
            candidate.put("content", Map.of("role", "model", "parts", List.of(Map.of("text", pieces.get(i)))));
            if (last) candidate.put("finishReason", "STOP");
            candidate.put("index", 0);
            Map<String, Object> usage = last
                    ? Map.of("promptTokenCount", prompt, "candidatesTokenCount", candidates, "totalTokenCount", prompt + candidates)
                    : Map.of("promptTokenCount", prompt, "totalTokenCount", prompt);
            events.add("data: " + Json.write(Map.of("candidates", List.of(candidate), "usageMetadata", usage,
                    "modelVersion", model, "responseId", "resp-e2e-s")));
        }
        return events;
    }
}
