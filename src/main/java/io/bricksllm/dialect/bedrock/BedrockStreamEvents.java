package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.ToolBlocks;
import io.bricksllm.dialect.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One ConverseStream event ({@code :event-type} and JSON payload) as canonical events. It keeps only
 * which tool call each open content block is and whether the message stopped. Converse opens a text
 * or reasoning block with its first delta (only tool blocks get a {@code contentBlockStart}).
 */
final class BedrockStreamEvents {

    private final ObjectMapper json;
    private final String id;
    private final String modelId;
    private final ToolBlocks blocks;
    private boolean stopped;

    BedrockStreamEvents(ObjectMapper json, String id, String modelId, Optional<String> answerTool) {
        this.json = json;
        this.id = id;
        this.modelId = modelId;
        this.blocks = new ToolBlocks(answerTool);
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
            case "contentBlockDelta" -> blockDelta(root.path("contentBlockIndex").asInt(), root.path("delta"), out);
            case "messageStop" -> {
                stopped = true;
                out.add(new StreamEvent.Finish(
                        BedrockStopReasons.finishReason(root.path("stopReason").textValue(), blocks.answeredByTool())));
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
        blocks.startTool(index, use.path("toolUseId").asText(), use.path("name").asText(), out);
    }

    private void blockDelta(int index, JsonNode delta, List<StreamEvent> out) {
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
            blocks.input(index, delta.path("toolUse").path("input").asText(""), out); // none for a block never started
        }
    }
}
