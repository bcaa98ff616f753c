package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Part;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An OpenAI-compatible {@code chat.completion} as a canonical answer (its first choice): reasoning (DeepSeek's and
 * vLLM's {@code reasoning_content}, or {@code reasoning}), then text, then tool calls; finish reason and usage.
 */
public final class OpenAiResponseDecoder {

    private final ObjectMapper json;

    public OpenAiResponseDecoder(ObjectMapper json) {
        this.json = json;
    }

    public ChatResponse decode(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new MalformedUpstreamException("the OpenAI-compatible upstream answered with a body that is not JSON");
        }
        JsonNode message = root == null ? null : root.path("choices").path(0).get("message");
        if (message == null || !message.isObject()) {
            throw new MalformedUpstreamException("the OpenAI-compatible upstream answered without choices[0].message");
        }
        String id = root.path("id").asText("");
        List<Part> parts = new ArrayList<>();
        reasoning(message).ifPresent(text -> parts.add(new Part.Reasoning(text, Optional.empty())));
        List<Part> calls = new ArrayList<>();
        boolean calledTools = toolCalls(message, id, calls);
        // an empty text beside tool calls is no answer text (some servers send "" rather than null)
        text(message).filter(text -> !text.isEmpty() || !calledTools).ifPresent(text -> parts.add(new Part.Text(text)));
        parts.addAll(calls);
        return new ChatResponse(id, root.path("model").asText(""), parts,
                OpenAiFinishReasons.finishReason(root.path("choices").path(0).path("finish_reason").textValue(),
                        calledTools),
                OpenAiUsageDecoder.read(root.get("usage")));
    }

    /** Reasoning text from either field compatible servers use; OpenAI's own models never return it. */
    static Optional<String> reasoning(JsonNode message) {
        for (String field : List.of("reasoning_content", "reasoning")) {
            String text = message.path(field).textValue();
            if (text != null && !text.isEmpty()) {
                return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    /** The content (a string, or text parts as some servers send), else a refusal, which is the answer's text. */
    private static Optional<String> text(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return Optional.of(content.textValue());
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            content.forEach(part -> text.append(part.path("text").asText("")));
            return Optional.of(text.toString());
        }
        return Optional.ofNullable(message.path("refusal").textValue());
    }

    private static boolean toolCalls(JsonNode message, String responseId, List<Part> parts) {
        boolean called = false;
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            if (!function.isObject()) {
                continue; // custom (non-function) tools: the canonical model has none
            }
            parts.add(new Part.ToolCall(call.path("id").asText(""), function.path("name").asText(""),
                    function.path("arguments").asText("")));
            called = true;
        }
        JsonNode legacy = message.path("function_call");
        if (legacy.isObject()) { // the deprecated single call has no id: one is made up so its result can refer to it
            parts.add(new Part.ToolCall("call_" + responseId, legacy.path("name").asText(""),
                    legacy.path("arguments").asText("")));
            called = true;
        }
        return called;
    }
}
