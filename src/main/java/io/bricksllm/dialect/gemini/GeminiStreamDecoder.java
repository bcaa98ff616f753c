package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code streamGenerateContent?alt=sse} events in, canonical stream events out, one event at a time.
 * Each event's data is a whole {@code GenerateContentResponse} chunk; a function call arrives whole in
 * one chunk, so it becomes a start and one arguments delta. Keeps only the answer's id, the number of
 * calls so far and whether the stream has started — never the stream. Framing-agnostic: the caller
 * splits SSE. One instance per stream; not thread-safe.
 */
public final class GeminiStreamDecoder {

    private final ObjectMapper json;
    private final String upstreamModel;
    private final GeminiPartsReader reader;
    private String id;
    private int toolCalls;
    private boolean finished;

    /** @param upstreamModel the model asked for, named when Gemini does not report {@code modelVersion} */
    public GeminiStreamDecoder(ObjectMapper json, String upstreamModel) {
        this.json = json;
        this.upstreamModel = upstreamModel;
        this.reader = new GeminiPartsReader(json);
    }

    public List<StreamEvent> decode(String data) {
        JsonNode root;
        try {
            root = json.readTree(data);
        } catch (IOException e) {
            return List.of(malformed());
        }
        if (root == null || !root.isObject()) {
            return List.of(malformed());
        }
        if (root.path("error").isObject()) {
            JsonNode error = root.get("error");
            int status = error.path("code").asInt(0);
            return List.of(new StreamEvent.Failure(GeminiErrorDecoder.fromError(status >= 400 ? status : 502, error)));
        }
        List<StreamEvent> out = new ArrayList<>(3);
        if (id == null) {
            id = GeminiResponseDecoder.responseId(root);
            out.add(new StreamEvent.Start(id, root.path("modelVersion").asText(upstreamModel)));
        }
        // a chunk's usage (cumulative) before its content: Anthropic's message_start, written at the first content,
        // carries the prompt's tokens only if they are known by then
        Usage usage = GeminiUsage.read(root.get("usageMetadata"));
        if (usage.isReported()) {
            out.add(new StreamEvent.UsageUpdate(usage));
        }
        JsonNode candidate = root.path("candidates").path(0);
        if (!candidate.isMissingNode()) {
            try {
                parts(candidate, out);
            } catch (MalformedUpstreamException e) {
                return List.of(new StreamEvent.Failure(e.toChatError()));
            }
            String reason = candidate.path("finishReason").textValue();
            if (reason != null && !finished) {
                finished = true;
                out.add(new StreamEvent.Finish(GeminiFinishReasons.finishReason(reason, toolCalls > 0)));
            }
        } else if (root.path("promptFeedback").path("blockReason").isTextual() && !finished) {
            finished = true;
            out.add(new StreamEvent.Finish(FinishReason.CONTENT_FILTER));
        }
        return out;
    }

    private void parts(JsonNode candidate, List<StreamEvent> out) {
        for (Part part : reader.read(candidate, id, toolCalls)) {
            switch (part) {
                case Part.Text t -> out.add(new StreamEvent.TextDelta(t.text()));
                case Part.Reasoning r -> out.add(new StreamEvent.ReasoningDelta(r.text()));
                case Part.ToolCall call -> {
                    int index = toolCalls++;
                    out.add(new StreamEvent.ToolCallStart(index, call.id(), call.name()));
                    out.add(new StreamEvent.ToolCallArgumentsDelta(index, call.argumentsJson()));
                }
                case Part.Image ignored -> { }
                case Part.ToolResult ignored -> { }
            }
        }
    }

    private static StreamEvent malformed() {
        return new StreamEvent.Failure(new ChatError(502, "upstream_error", "gemini sent a stream event that is not JSON"));
    }
}
