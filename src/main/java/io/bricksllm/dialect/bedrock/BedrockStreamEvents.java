package io.bricksllm.dialect.bedrock;

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
import java.util.Optional;

/**
 * One ConverseStream event ({@code :event-type} and JSON payload) as canonical events. It keeps only
 * which tool call each open content block is and whether the message stopped. Converse opens a text
 * or reasoning block with its first delta (only tool blocks get a {@code contentBlockStart}).
 */
final class BedrockStreamEvents {

    private sealed interface Block {
    }

    private record Call(int index) implements Block {
    }

    private record Answer() implements Block {
    }

    private final ObjectMapper json;
    private final String id;
    private final String modelId;
    private final Optional<String> answerTool;
    private final Map<Integer, Block> blocks = new HashMap<>();
    private int toolCalls;
    private boolean answeredByTool;
    private boolean stopped;

    BedrockStreamEvents(ObjectMapper json, String id, String modelId, Optional<String> answerTool) {
        this.json = json;
        this.id = id;
        this.modelId = modelId;
        this.answerTool = answerTool;
    }

    boolean stopped() {
        return stopped;
    }

    List<StreamEvent> translate(String eventType, byte[] payload) {
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return List.of(new StreamEvent.Failure(
                    new ChatError(502, "upstream_error", "bedrock sent a stream event that is not JSON")));
        }
        List<StreamEvent> out = new ArrayList<>(1);
        switch (eventType == null ? "" : eventType) {
            case "messageStart" -> out.add(new StreamEvent.Start(id, modelId));
            case "contentBlockStart" -> blockStart(root.path("contentBlockIndex").asInt(), root.path("start"), out);
            case "contentBlockDelta" -> blockDelta(blocks.get(root.path("contentBlockIndex").asInt()),
                    root.path("delta"), out);
            case "messageStop" -> {
                stopped = true;
                out.add(new StreamEvent.Finish(
                        BedrockStopReasons.finishReason(root.path("stopReason").textValue(), answeredByTool)));
            }
            case "metadata" -> {
                Usage usage = BedrockUsageCounts.read(root.get("usage"));
                if (usage.isReported()) {
                    out.add(new StreamEvent.UsageUpdate(usage));
                }
            }
            default -> { } // contentBlockStop, and event types added later
        }
        return out;
    }

    private void blockStart(int index, JsonNode start, List<StreamEvent> out) {
        JsonNode use = start.path("toolUse");
        if (!use.isObject()) {
            return;
        }
        String name = use.path("name").asText();
        if (answerTool.isPresent() && answerTool.get().equals(name)) {
            answeredByTool = true;
            blocks.put(index, new Answer());
        } else {
            int call = toolCalls++;
            blocks.put(index, new Call(call));
            out.add(new StreamEvent.ToolCallStart(call, use.path("toolUseId").asText(), name));
        }
    }

    private static void blockDelta(Block block, JsonNode delta, List<StreamEvent> out) {
        if (delta.has("text")) {
            String text = delta.path("text").asText();
            if (!text.isEmpty()) {
                out.add(new StreamEvent.TextDelta(text));
            }
        } else if (delta.has("reasoningContent")) {
            String text = delta.path("reasoningContent").path("text").asText("");
            if (!text.isEmpty()) { // signature and redacted deltas: OpenAI's chunks cannot carry them
                out.add(new StreamEvent.ReasoningDelta(text));
            }
        } else if (delta.has("toolUse")) {
            String partial = delta.path("toolUse").path("input").asText("");
            if (partial.isEmpty()) {
                return;
            }
            switch (block) {
                case Call call -> out.add(new StreamEvent.ToolCallArgumentsDelta(call.index(), partial));
                case Answer ignored -> out.add(new StreamEvent.TextDelta(partial));
                case null -> { } // a delta for a tool block that never started
            }
        }
    }
}
