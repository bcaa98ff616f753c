package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI-compatible {@code chat.completion.chunk} SSE data in, canonical stream events out, one event at a time.
 * Keeps only the answer's id and model, which upstream tool-call index is which call and whether the stream has
 * started or finished — never the stream. Choices other than the first are ignored. The start goes out with the
 * first chunk that names an id or carries content: Azure's first chunk carries only prompt filter results, with no
 * id, model or choices. Framing-agnostic: the caller splits SSE. One instance per stream; not thread-safe.
 */
public final class OpenAiStreamDecoder {

    private final ObjectMapper json;
    private final Map<Integer, Integer> calls = new HashMap<>(); // upstream tool-call index → canonical index
    private int lastUpstreamCall = -1;
    private String id = "";
    private String model = "";
    private boolean started;
    private boolean finished;

    public OpenAiStreamDecoder(ObjectMapper json) {
        this.json = json;
    }

    /** @param event the SSE event name, or null; OpenAI sends data only */
    public List<StreamEvent> decode(String event, String data) {
        String payload = data.strip(); // a CRLF-framed server leaves its CR behind
        if ("[DONE]".equals(payload)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (IOException e) {
            return List.of(malformed());
        }
        if (root == null || !root.isObject()) {
            return List.of(malformed());
        }
        if (!root.path("error").isMissingNode() && !root.path("error").isNull()) {
            return List.of(new StreamEvent.Failure(failure(root.get("error"))));
        }
        remember(root);
        List<StreamEvent> content = new ArrayList<>(3);
        JsonNode choice = firstChoice(root.path("choices"));
        if (choice != null) {
            delta(choice.path("delta"), content);
            String reason = choice.path("finish_reason").textValue();
            if (reason != null && !finished) {
                finished = true;
                content.add(new StreamEvent.Finish(OpenAiFinishReasons.finishReason(reason, !calls.isEmpty())));
            }
        }
        JsonNode reported = root.path("usage").isObject() ? root.get("usage") : root.path("x_groq").get("usage");
        Usage usage = OpenAiUsageDecoder.read(reported);
        if (usage.isReported()) {
            content.add(new StreamEvent.UsageUpdate(usage));
        }
        if (started || (id.isEmpty() && content.isEmpty())) {
            return content;
        }
        started = true;
        List<StreamEvent> out = new ArrayList<>(content.size() + 1);
        out.add(new StreamEvent.Start(id, model));
        out.addAll(content);
        return out;
    }

    /** The first id and model reported; chunks before them (Azure's filter results) name none. */
    private void remember(JsonNode root) {
        if (id.isEmpty()) {
            id = root.path("id").asText("");
        }
        if (model.isEmpty()) {
            model = root.path("model").asText("");
        }
    }

    private static JsonNode firstChoice(JsonNode choices) {
        for (JsonNode choice : choices) {
            if (choice.path("index").asInt(0) == 0) {
                return choice;
            }
        }
        return null;
    }

    private void delta(JsonNode delta, List<StreamEvent> out) {
        String reasoning = OpenAiResponseDecoder.reasoning(delta).orElse("");
        if (!reasoning.isEmpty()) {
            out.add(new StreamEvent.ReasoningDelta(reasoning));
        }
        String text = delta.path("content").textValue();
        if (text == null) {
            text = delta.path("refusal").textValue();
        }
        if (text != null && !text.isEmpty()) {
            out.add(new StreamEvent.TextDelta(text));
        }
        for (JsonNode call : delta.path("tool_calls")) {
            toolCall(call, out);
        }
    }

    /**
     * A tool-call delta. Calls are renumbered 0, 1, … in order of first appearance; an entry without an index (as
     * some servers send whole calls) is a new call when it brings an id, else it extends the last call.
     */
    private void toolCall(JsonNode call, List<StreamEvent> out) {
        JsonNode function = call.path("function");
        String callId = call.path("id").textValue();
        int upstream;
        if (call.path("index").isIntegralNumber()) {
            upstream = call.get("index").intValue();
        } else if (callId != null && !callId.isEmpty() || lastUpstreamCall < 0) {
            upstream = -2 - calls.size(); // a key no real index uses
        } else {
            upstream = lastUpstreamCall;
        }
        lastUpstreamCall = upstream;
        Integer index = calls.get(upstream);
        if (index == null) {
            index = calls.size();
            calls.put(upstream, index);
            out.add(new StreamEvent.ToolCallStart(index, callId == null ? "" : callId,
                    function.path("name").asText("")));
        }
        String arguments = function.path("arguments").asText("");
        if (!arguments.isEmpty()) {
            out.add(new StreamEvent.ToolCallArgumentsDelta(index, arguments));
        }
    }

    private static ChatError failure(JsonNode error) {
        if (error.isTextual()) {
            return new ChatError(502, "api_error", error.textValue());
        }
        return OpenAiErrorDecoder.fromError(OpenAiErrorDecoder.statusOf(error), error);
    }

    private static StreamEvent malformed() {
        return new StreamEvent.Failure(new ChatError(502, "upstream_error",
                "the OpenAI-compatible upstream sent a stream event that is not JSON"));
    }
}
