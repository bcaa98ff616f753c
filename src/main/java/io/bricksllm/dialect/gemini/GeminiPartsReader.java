package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The first candidate's parts as canonical parts: text, thoughts ({@code "thought": true}) as
 * reasoning, function calls as tool calls. Gemini 2.x gives calls no id, so one is made from the
 * response id and the call's number in the answer: stable for the answer, unique across answers.
 */
final class GeminiPartsReader {

    private final ObjectMapper json;

    GeminiPartsReader(ObjectMapper json) {
        this.json = json;
    }

    /** @param firstCall the number of calls already read in this answer (streams read it chunk by chunk) */
    List<Part> read(JsonNode candidate, String responseId, int firstCall) {
        List<Part> parts = new ArrayList<>();
        int calls = firstCall;
        for (JsonNode part : candidate.path("content").path("parts")) {
            JsonNode call = part.get("functionCall");
            if (call != null && call.isObject()) {
                String id = call.path("id").asText("");
                if (id.isEmpty()) {
                    id = "call_" + responseId + "_" + calls;
                }
                calls++;
                parts.add(new Part.ToolCall(id, call.path("name").asText(), write(call.path("args"))));
            } else if (part.path("text").isTextual()) {
                String text = part.get("text").asText();
                if (text.isEmpty()) {
                    continue;
                }
                parts.add(part.path("thought").asBoolean(false) ? new Part.Reasoning(text, Optional.empty())
                        : new Part.Text(text));
            }
            // inline data, executable code and other parts: nothing OpenAI's chat shape can show
        }
        return parts;
    }

    private String write(JsonNode args) {
        try {
            return json.writeValueAsString(args.isMissingNode() || args.isNull() ? json.createObjectNode() : args);
        } catch (JsonProcessingException e) {
            throw new MalformedUpstreamException("gemini answered with function arguments that cannot be written");
        }
    }
}
