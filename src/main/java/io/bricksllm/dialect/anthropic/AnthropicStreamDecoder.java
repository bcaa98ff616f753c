package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.ToolBlocks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Anthropic Messages SSE events in, canonical stream events out, one event at a time: it keeps only
 * what each open content block is (text, thinking, which tool call) and the usage so far — never the
 * stream. Framing-agnostic: the caller splits SSE and passes each event's name and data. One instance
 * per stream; not thread-safe.
 */
public final class AnthropicStreamDecoder {

    private final ObjectMapper json;
    private final ToolBlocks blocks;
    private AnthropicUsageCounts usage = AnthropicUsageCounts.NONE;

    /** @param answerTool from {@link AnthropicCall#answerTool()}: that tool's input streams as answer text */
    public AnthropicStreamDecoder(ObjectMapper json, Optional<String> answerTool) {
        this.json = json;
        this.blocks = new ToolBlocks(answerTool);
    }

    /** @param event the SSE event name, or null; Anthropic repeats it as the data's {@code type} */
    public List<StreamEvent> decode(String event, String data) {
        JsonNode root;
        try {
            root = json.readTree(data);
        } catch (IOException e) {
            return List.of(malformed());
        }
        if (root == null || !root.isObject()) {
            return List.of(malformed());
        }
        String type = root.path("type").asText(event == null ? "" : event);
        List<StreamEvent> out = new ArrayList<>(2);
        switch (type) {
            case "message_start" -> {
                JsonNode message = root.path("message");
                out.add(new StreamEvent.Start(message.path("id").asText(), message.path("model").asText()));
                usage(message.get("usage"), out);
            }
            case "content_block_start" -> blockStart(root.path("index").asInt(), root.path("content_block"), out);
            case "content_block_delta" -> blockDelta(root.path("index").asInt(), root.path("delta"), out);
            case "message_delta" -> {
                String stopReason = root.path("delta").path("stop_reason").textValue();
                if (stopReason != null) {
                    out.add(new StreamEvent.Finish(AnthropicStopReasons.finishReason(stopReason, blocks.answeredByTool())));
                }
                usage(root.get("usage"), out);
            }
            case "error" -> {
                JsonNode error = root.path("error");
                ChatError failure = AnthropicErrorDecoder.fromError(
                        AnthropicErrorDecoder.statusOf(error.path("type").asText()), error);
                out.add(new StreamEvent.Failure(failure));
            }
            default -> { } // ping, content_block_stop, message_stop, and event types added later
        }
        return out;
    }

    private void blockStart(int index, JsonNode block, List<StreamEvent> out) {
        switch (block.path("type").asText()) {
            case "text" -> {
                blocks.startPlain(index);
                text(block.path("text").asText(), out);
            }
            case "thinking" -> {
                blocks.startPlain(index);
                String thinking = block.path("thinking").asText();
                if (!thinking.isEmpty()) {
                    out.add(new StreamEvent.ReasoningDelta(thinking));
                }
            }
            case "tool_use" -> blocks.startTool(index, block.path("id").asText(), block.path("name").asText(), out);
            default -> { } // redacted thinking, server tools: their deltas are ignored too
        }
    }

    private void blockDelta(int index, JsonNode delta, List<StreamEvent> out) {
        if (!blocks.isOpen(index)) {
            return;
        }
        switch (delta.path("type").asText()) {
            case "text_delta" -> text(delta.path("text").asText(), out);
            case "thinking_delta" -> out.add(new StreamEvent.ReasoningDelta(delta.path("thinking").asText()));
            case "input_json_delta" -> blocks.input(index, delta.path("partial_json").asText(), out);
            default -> { } // signature_delta: OpenAI's chunks cannot carry it
        }
    }

    private static void text(String text, List<StreamEvent> out) {
        if (!text.isEmpty()) {
            out.add(new StreamEvent.TextDelta(text));
        }
    }

    private void usage(JsonNode reported, List<StreamEvent> out) {
        AnthropicUsageCounts counts = AnthropicUsageCounts.read(reported);
        if (!counts.equals(AnthropicUsageCounts.NONE)) {
            usage = usage.updatedBy(counts);
            out.add(new StreamEvent.UsageUpdate(usage.toUsage()));
        }
    }

    private static StreamEvent malformed() {
        return new StreamEvent.Failure(new ChatError(502, "upstream_error", "anthropic sent a stream event that is not JSON"));
    }
}
