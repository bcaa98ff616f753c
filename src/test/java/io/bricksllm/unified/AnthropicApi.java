package io.bricksllm.unified;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.MockUpstream.Received;
import io.bricksllm.testing.MockUpstream.Reply;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The Messages API as a strict upstream: it checks a translated request the way api.anthropic.com does and
 * answers 401/400 in Anthropic's error shape when it would, so a mistranslation fails the test with
 * Anthropic's own kind of message instead of being answered.
 */
public final class AnthropicApi {
    static final Set<String> BLOCK_TYPES = Set.of("text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking");
    /** The Messages API's top-level fields; anything else is "Extra inputs are not permitted" (e.g. OpenAI's n, user, response_format). */
    static final Set<String> FIELDS = Set.of("model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature",
            "top_p", "top_k", "tools", "tool_choice", "thinking", "service_tier", "container", "mcp_servers", "output_config", "output_format",
            "context_management");

    private AnthropicApi() {}

    /** A {@code POST /v1/messages} responder: checks, then answers with {@code answer(body)}. */
    public static Function<Received, Reply> messages(String apiKey, Function<JsonNode, Reply> answer) {
        return r -> {
            if (!apiKey.equals(r.header("x-api-key"))) {
                return error(401, "authentication_error", "invalid x-api-key");
            }
            if (r.header("anthropic-version") == null || r.header("anthropic-version").isBlank()) {
                return error(400, "invalid_request_error", "anthropic-version: header is required");
            }
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(r.body());
            } catch (Exception e) {
                return error(400, "invalid_request_error", "There was an error parsing the body");
            }
            Optional<String> problem = problem(body);
            return problem.isPresent() ? error(400, "invalid_request_error", problem.get()) : answer.apply(body);
        };
    }

    /** What Anthropic would refuse in this request body, if anything. */
    public static Optional<String> problem(JsonNode body) {
        if (!body.path("model").isTextual() || body.get("model").asText().isBlank()) return Optional.of("model: Field required");
        if (!body.path("max_tokens").isIntegralNumber()) return Optional.of("max_tokens: Field required");
        if (body.get("max_tokens").asLong() < 1) return Optional.of("max_tokens: Input should be greater than or equal to 1");
        for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) return Optional.of(field + ": Extra inputs are not permitted");
        }
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) return Optional.of("messages: at least one message is required");
        if (body.has("system") && !body.get("system").isTextual() && !body.get("system").isArray()) {
            return Optional.of("system: Input should be a valid string or list");
        }
        String expected = "user";
        Set<String> openToolUses = new LinkedHashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText();
            if (!role.equals("user") && !role.equals("assistant")) {
                return Optional.of("messages." + i + ".role: Input should be 'user' or 'assistant'");
            }
            if (i == 0 && !role.equals("user")) return Optional.of("messages: first message must use the \"user\" role");
            if (!role.equals(expected)) return Optional.of("messages: roles must alternate between \"user\" and \"assistant\"");
            expected = role.equals("user") ? "assistant" : "user";
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                if (content.asText().isEmpty()) return Optional.of("messages." + i + ": text content blocks must be non-empty");
                if (!openToolUses.isEmpty()) return toolUseUnanswered(i - 1, openToolUses);
                continue;
            }
            if (!content.isArray() || content.isEmpty()) return Optional.of("messages." + i + ".content: must be a string or a non-empty list");
            Set<String> answered = new HashSet<>();
            Set<String> uses = new LinkedHashSet<>();
            boolean sawOther = false;
            for (int j = 0; j < content.size(); j++) {
                JsonNode block = content.get(j);
                String type = block.path("type").asText();
                String at = "messages." + i + ".content." + j;
                if (!BLOCK_TYPES.contains(type)) return Optional.of(at + ".type: unknown content block type '" + type + "'");
                switch (type) {
                    case "text" -> {
                        if (!block.path("text").isTextual() || block.get("text").asText().isEmpty()) {
                            return Optional.of(at + ": text content blocks must be non-empty");
                        }
                        sawOther = true;
                    }
                    case "image" -> {
                        JsonNode src = block.path("source");
                        boolean base64 = src.path("type").asText().equals("base64") && src.path("media_type").asText().startsWith("image/")
                                && src.path("data").isTextual();
                        boolean url = src.path("type").asText().equals("url") && src.path("url").isTextual();
                        if (!base64 && !url) return Optional.of(at + ".source: invalid image source");
                        sawOther = true;
                    }
                    case "tool_use" -> {
                        if (!role.equals("assistant")) return Optional.of(at + ": tool_use blocks are only allowed in assistant messages");
                        if (!block.path("id").isTextual() || !block.path("name").isTextual() || !block.path("input").isObject()) {
                            return Optional.of(at + ": tool_use needs id, name and an input object");
                        }
                        uses.add(block.get("id").asText());
                    }
                    case "tool_result" -> {
                        if (!role.equals("user")) return Optional.of(at + ": tool_result blocks are only allowed in user messages");
                        String id = block.path("tool_use_id").asText();
                        if (!openToolUses.contains(id)) {
                            return Optional.of(at + ": unexpected `tool_use_id` found in `tool_result` blocks: " + id
                                    + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
                        }
                        if (sawOther) return Optional.of(at + ": tool_result blocks must come before any other content in the message");
                        answered.add(id);
                    }
                    default -> sawOther = true;
                }
            }
            if (role.equals("user")) {
                Set<String> missing = new LinkedHashSet<>(openToolUses);
                missing.removeAll(answered);
                if (!missing.isEmpty()) return toolUseUnanswered(i - 1, missing);
            }
            openToolUses = uses;
        }
        JsonNode tools = body.path("tools");
        for (int t = 0; t < tools.size(); t++) {
            JsonNode tool = tools.get(t);
            if (!tool.path("name").isTextual() || !tool.path("input_schema").isObject()) {
                return Optional.of("tools." + t + ": a custom tool needs name and input_schema");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> toolUseUnanswered(int message, Set<String> ids) {
        return Optional.of("messages." + message + ": `tool_use` ids were found without `tool_result` blocks immediately after: "
                + String.join(", ", ids) + ". Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
    }

    public static Reply error(int status, String type, String message) {
        return Reply.json(status, Json.write(Map.of("type", "error", "error", Map.of("type", type, "message", message))));
    }

    /** A Messages answer with one text block. */
    static String textMessage(String model, String text, long input, long output) {
        return Json.write(Map.of("id", "msg_e2e", "type", "message", "role", "assistant", "model", model,
                "content", java.util.List.of(Map.of("type", "text", "text", text)), "stop_reason", "end_turn",
                "usage", Map.of("input_tokens", input, "output_tokens", output)));
    }
}
