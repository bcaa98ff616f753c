package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Canonical stream events in, Anthropic Messages SSE bytes out, one event at a time. Content blocks are numbered
 * from 0 in the order they open; a text or thinking delta opens its kind of block when another kind (or none) is
 * open, a tool call always opens its own. {@code message_start} waits for the first content (or the end) so it can
 * carry the prompt's usage, which canonical streams report right after {@link StreamEvent.Start}; the stop reason
 * and final usage go out in {@code message_delta} at {@link #end()}, as Anthropic sends them last. One instance per
 * stream; not thread-safe.
 */
public final class AnthropicStreamEncoder implements io.bricksllm.dialect.StreamEncoder {

    private static final byte[] NOTHING = new byte[0];

    private enum Block { NONE, TEXT, THINKING, TOOL }

    private final ObjectMapper json;
    private final AnthropicUsageEncoder usageEncoder = new AnthropicUsageEncoder();
    private final AnthropicErrorEncoder errorEncoder;
    /** Canonical tool-call index → its content block's index. */
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();
    private String id = "";
    private String model = "";
    private boolean started;
    private boolean startSent;
    private boolean failed;
    private Block open = Block.NONE;
    private int openIndex = -1;
    private int nextIndex;
    private String stopReason;
    private Usage usage = Usage.NOT_REPORTED;

    public AnthropicStreamEncoder(ObjectMapper json) {
        this.json = json;
        this.errorEncoder = new AnthropicErrorEncoder(json);
    }

    /** The SSE bytes for one event; empty when it shows up later (usage, stop reason) or never (after a failure). */
    public byte[] encode(StreamEvent event) {
        if (failed) {
            return NOTHING;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (event) {
            case StreamEvent.Start start -> {
                id = AnthropicResponseEncoder.messageId(start.id());
                model = start.model();
                started = true;
            }
            case StreamEvent.UsageUpdate update -> usage = usage.updatedBy(update.usage());
            case StreamEvent.TextDelta text -> {
                if (!text.text().isEmpty()) {
                    delta(Block.TEXT, "text_delta", "text", text.text(), out);
                }
            }
            case StreamEvent.ReasoningDelta reasoning -> {
                if (!reasoning.text().isEmpty()) {
                    delta(Block.THINKING, "thinking_delta", "thinking", reasoning.text(), out);
                }
            }
            case StreamEvent.ToolCallStart call -> {
                messageStart(out);
                close(out);
                open(Block.TOOL, out, block -> block.put("type", "tool_use").put("id", call.id())
                        .put("name", call.name()).putObject("input"));
                toolBlocks.put(call.index(), openIndex);
            }
            case StreamEvent.ToolCallArgumentsDelta arguments -> {
                Integer index = toolBlocks.get(arguments.index());
                if (index != null && !arguments.text().isEmpty()) {
                    ObjectNode data = json.createObjectNode().put("type", "content_block_delta").put("index", index);
                    data.putObject("delta").put("type", "input_json_delta").put("partial_json", arguments.text());
                    frame("content_block_delta", data, out);
                }
            }
            case StreamEvent.Finish finish -> {
                messageStart(out);
                close(out);
                stopReason = AnthropicStopReasonEncoder.stopReason(finish.reason());
            }
            case StreamEvent.Failure failure -> {
                failed = true;
                out.writeBytes(errorEncoder.event(failure.error()));
            }
        }
        return out.toByteArray();
    }

    /** The stream's trailer: {@code message_delta} with the stop reason and usage, then {@code message_stop}. */
    public byte[] end() {
        if (failed) {
            return NOTHING;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        messageStart(out);
        close(out);
        ObjectNode data = json.createObjectNode().put("type", "message_delta");
        ObjectNode delta = data.putObject("delta");
        delta.put("stop_reason", stopReason == null ? "end_turn" : stopReason);
        delta.putNull("stop_sequence");
        usageEncoder.write(usage, data.putObject("usage"));
        frame("message_delta", data, out);
        frame("message_stop", json.createObjectNode().put("type", "message_stop"), out);
        return out.toByteArray();
    }

    private void delta(Block kind, String deltaType, String field, String text, ByteArrayOutputStream out) {
        messageStart(out);
        if (open != kind) {
            close(out);
            open(kind, out, block -> {
                block.put("type", kind == Block.TEXT ? "text" : "thinking").put(field, "");
                if (kind == Block.THINKING) {
                    block.put("signature", ""); // canonical streams carry no signature; the SDK wants the field
                }
            });
        }
        ObjectNode data = json.createObjectNode().put("type", "content_block_delta").put("index", openIndex);
        data.putObject("delta").put("type", deltaType).put(field, text);
        frame("content_block_delta", data, out);
    }

    private void open(Block kind, ByteArrayOutputStream out, java.util.function.Consumer<ObjectNode> block) {
        openIndex = nextIndex++;
        open = kind;
        ObjectNode data = json.createObjectNode().put("type", "content_block_start").put("index", openIndex);
        block.accept(data.putObject("content_block"));
        frame("content_block_start", data, out);
    }

    private void close(ByteArrayOutputStream out) {
        if (open == Block.NONE) {
            return;
        }
        frame("content_block_stop", json.createObjectNode().put("type", "content_block_stop").put("index", openIndex), out);
        open = Block.NONE;
    }

    private void messageStart(ByteArrayOutputStream out) {
        if (startSent) {
            return;
        }
        startSent = true;
        ObjectNode data = json.createObjectNode().put("type", "message_start");
        ObjectNode message = data.putObject("message");
        message.put("id", started ? id : "msg_").put("type", "message").put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        usageEncoder.write(usage, message.putObject("usage"));
        frame("message_start", data, out);
    }

    private void frame(String event, ObjectNode data, ByteArrayOutputStream out) {
        try {
            out.writeBytes(("event: " + event + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(json.writeValueAsBytes(data));
            out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree we built always serialises
        }
    }
}
