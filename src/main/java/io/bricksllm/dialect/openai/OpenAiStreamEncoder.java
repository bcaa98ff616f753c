package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Canonical stream events in, OpenAI {@code chat.completion.chunk} SSE bytes out, one event at a time
 * (nothing is held back but the usage, which OpenAI sends last). One instance per stream; not thread-safe.
 */
public final class OpenAiStreamEncoder implements io.bricksllm.dialect.StreamEncoder {

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOTHING = new byte[0];

    private final ObjectMapper json;
    private final boolean includeUsage;
    private final long created;
    private final OpenAiUsageEncoder usageEncoder = new OpenAiUsageEncoder();
    private final OpenAiErrorEncoder errorEncoder;
    private String id = "";
    private String model = "";
    private Usage usage = Usage.NOT_REPORTED;
    private boolean failed;

    /** @param created seconds since the epoch, the same in every chunk as OpenAI does */
    public OpenAiStreamEncoder(ObjectMapper json, boolean includeUsage, long created) {
        this.json = json;
        this.includeUsage = includeUsage;
        this.created = created;
        this.errorEncoder = new OpenAiErrorEncoder(json);
    }

    /**
     * The SSE bytes for one event; empty when the event shows up only later (usage) or never (anything
     * after a failure: the caller has been told the stream broke).
     */
    public byte[] encode(StreamEvent event) {
        if (failed) {
            return NOTHING;
        }
        return switch (event) {
            case StreamEvent.Start start -> {
                id = start.id();
                model = start.model();
                ObjectNode delta = json.createObjectNode().put("role", "assistant").put("content", "");
                yield chunk(delta, null);
            }
            case StreamEvent.TextDelta text -> chunk(json.createObjectNode().put("content", text.text()), null);
            case StreamEvent.ReasoningDelta reasoning ->
                    chunk(json.createObjectNode().put("reasoning_content", reasoning.text()), null);
            case StreamEvent.ToolCallStart call -> {
                ObjectNode delta = json.createObjectNode();
                delta.putArray("tool_calls").addObject().put("index", call.index()).put("id", call.id())
                        .put("type", "function").putObject("function").put("name", call.name()).put("arguments", "");
                yield chunk(delta, null);
            }
            case StreamEvent.ToolCallArgumentsDelta arguments -> {
                ObjectNode delta = json.createObjectNode();
                delta.putArray("tool_calls").addObject().put("index", arguments.index())
                        .putObject("function").put("arguments", arguments.text());
                yield chunk(delta, null);
            }
            case StreamEvent.Finish finish -> chunk(json.createObjectNode(), finish.reason().openAiName());
            case StreamEvent.UsageUpdate update -> {
                usage = usage.updatedBy(update.usage());
                yield NOTHING;
            }
            case StreamEvent.Failure failure -> {
                failed = true;
                yield frame(errorEncoder.body(failure.error()));
            }
        };
    }

    /**
     * The stream's trailer: the usage chunk (when the caller asked for it and the upstream reported
     * any: an invented 0 would be billed as real) and {@code [DONE]}; nothing after a failure.
     */
    public byte[] end() {
        if (failed) {
            return NOTHING;
        }
        if (!includeUsage || !usage.isReported()) {
            return DONE;
        }
        ObjectNode last = header();
        last.putArray("choices");
        last.set("usage", usageEncoder.encode(usage));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(frame(last));
        out.writeBytes(DONE);
        return out.toByteArray();
    }

    private byte[] chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = header();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return frame(chunk);
    }

    private ObjectNode header() {
        return json.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
    }

    private byte[] frame(ObjectNode data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(json.writeValueAsBytes(data));
            out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
