package io.bricksllm.dialect.responses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.StreamEncoder;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Canonical stream events in, Responses API SSE out ({@code event: <type>} and {@code data} with that
 * {@code type} and a {@code sequence_number} counting from 0), one event at a time.
 * <p>
 * {@link StreamEvent.Start} sends {@code response.created} and {@code response.in_progress}. Text opens an
 * assistant message item with one {@code output_text} part, reasoning a reasoning item with one summary part, a tool
 * call a {@code function_call} item; an item is closed ({@code …done} events, then {@code response.output_item.done})
 * when another item opens or the answer finishes. Canonical streams give one call's arguments before the next call
 * starts, so a new call closes the previous one, as OpenAI streams them. Usage is held for the final event:
 * {@link #end()} closes what is open and sends {@code response.completed} — or {@code response.incomplete} after a
 * length or content-filter finish — with the whole response (items with their full texts and arguments, usage).
 * A {@link StreamEvent.Failure} sends {@code response.failed} (status {@code failed}, {@code error}) and nothing
 * follows. One instance per stream; not thread-safe.
 */
public final class ResponsesStreamEncoder implements StreamEncoder {

    private static final byte[] NOTHING = new byte[0];

    private enum Kind { TEXT, REASONING, CALL }

    /** One output item: what it is and everything streamed into it so far. */
    private static final class Item {
        final Kind kind;
        final int outputIndex;
        final String id;
        final StringBuilder text = new StringBuilder();
        final String callId;
        final String name;
        String status = "in_progress";

        Item(Kind kind, int outputIndex, String id, String callId, String name) {
            this.kind = kind;
            this.outputIndex = outputIndex;
            this.id = id;
            this.callId = callId;
            this.name = name;
        }
    }

    private final ObjectMapper json;
    private final long createdAt;
    private final ResponsesObject responses;
    private final ResponsesItems items;
    private final List<Item> output = new ArrayList<>();
    /** Canonical tool-call index → its item. */
    private final Map<Integer, Item> calls = new HashMap<>();
    private String id = ResponsesObject.responseId("");
    private String model = "";
    private boolean created;
    private boolean failed;
    private Item open;
    private int sequence;
    private FinishReason finish = FinishReason.STOP;
    private Usage usage = Usage.NOT_REPORTED;

    /** @param createdAt seconds since the epoch, the response's {@code created_at} */
    public ResponsesStreamEncoder(ObjectMapper json, long createdAt, ResponsesEcho echo) {
        this.json = json;
        this.createdAt = createdAt;
        this.responses = new ResponsesObject(json, echo);
        this.items = new ResponsesItems(json);
    }

    @Override
    public byte[] encode(StreamEvent event) {
        if (failed) {
            return NOTHING;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (event) {
            case StreamEvent.Start start -> {
                if (!created) {
                    id = ResponsesObject.responseId(start.id());
                    model = start.model();
                }
                created(out);
            }
            case StreamEvent.TextDelta text -> {
                if (!text.text().isEmpty()) {
                    textDelta(text.text(), out);
                }
            }
            case StreamEvent.ReasoningDelta reasoning -> {
                if (!reasoning.text().isEmpty()) {
                    reasoningDelta(reasoning.text(), out);
                }
            }
            case StreamEvent.ToolCallStart call -> {
                created(out);
                close("completed", out);
                Item item = openItem(Kind.CALL, ResponsesItems.FUNCTION_CALL, call.id(), call.name());
                calls.put(call.index(), item);
                added(item, items.functionCall(item.id, call.id(), call.name(), "", "in_progress"), out);
            }
            case StreamEvent.ToolCallArgumentsDelta arguments -> {
                Item item = calls.get(arguments.index());
                // a call already closed takes no more arguments (canonical streams never send them late)
                if (item != null && item == open && !arguments.text().isEmpty()) {
                    item.text.append(arguments.text());
                    ObjectNode data = event("response.function_call_arguments.delta", item);
                    data.put("delta", arguments.text());
                    send(data, out);
                }
            }
            case StreamEvent.Finish end -> {
                created(out);
                finish = end.reason();
                close(ResponsesObject.incompleteReason(finish).isPresent() ? "incomplete" : "completed", out);
            }
            case StreamEvent.UsageUpdate update -> usage = usage.updatedBy(update.usage());
            case StreamEvent.Failure failure -> failed(failure.error(), out);
        }
        return out.toByteArray();
    }

    /** Closes what is open, then {@code response.completed} (or {@code response.incomplete}) with the whole response. */
    @Override
    public byte[] end() {
        if (failed) {
            return NOTHING;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        created(out);
        Optional<String> incomplete = ResponsesObject.incompleteReason(finish);
        close(incomplete.isPresent() ? "incomplete" : "completed", out);
        String status = ResponsesObject.status(finish);
        ObjectNode data = json.createObjectNode().put("type", "response." + status);
        data.set("response", responses.build(id, createdAt, model, status, outputItems(), usage, incomplete,
                Optional.empty()));
        send(data, out);
        return out.toByteArray();
    }

    private void failed(ChatError error, ByteArrayOutputStream out) {
        created(out);
        if (open != null) {
            open.status = "incomplete"; // cut off: no done events, the failed response shows how far it got
            open = null;
        }
        failed = true;
        ObjectNode data = json.createObjectNode().put("type", "response.failed");
        data.set("response", responses.build(id, createdAt, model, "failed", outputItems(), usage, Optional.empty(),
                Optional.of(error)));
        send(data, out);
    }

    private void created(ByteArrayOutputStream out) {
        if (created) {
            return;
        }
        created = true;
        for (String type : List.of("response.created", "response.in_progress")) {
            ObjectNode data = json.createObjectNode().put("type", type);
            data.set("response", responses.build(id, createdAt, model, "in_progress", json.createArrayNode(),
                    Usage.NOT_REPORTED, Optional.empty(), Optional.empty()));
            send(data, out);
        }
    }

    private void textDelta(String text, ByteArrayOutputStream out) {
        created(out);
        if (open == null || open.kind != Kind.TEXT) {
            close("completed", out);
            Item item = openItem(Kind.TEXT, ResponsesItems.MESSAGE, null, null);
            added(item, items.message(item.id, "in_progress", null), out);
            ObjectNode part = event("response.content_part.added", item).put("content_index", 0);
            part.set("part", items.outputText(""));
            send(part, out);
        }
        open.text.append(text);
        ObjectNode data = event("response.output_text.delta", open).put("content_index", 0).put("delta", text);
        data.putArray("logprobs");
        send(data, out);
    }

    private void reasoningDelta(String text, ByteArrayOutputStream out) {
        created(out);
        if (open == null || open.kind != Kind.REASONING) {
            close("completed", out);
            Item item = openItem(Kind.REASONING, ResponsesItems.REASONING, null, null);
            added(item, items.reasoning(item.id, null), out);
            ObjectNode part = event("response.reasoning_summary_part.added", item).put("summary_index", 0);
            part.set("part", items.summaryText(""));
            send(part, out);
        }
        open.text.append(text);
        send(event("response.reasoning_summary_text.delta", open).put("summary_index", 0).put("delta", text), out);
    }

    private Item openItem(Kind kind, String prefix, String callId, String name) {
        Item item = new Item(kind, output.size(), ResponsesObject.itemId(prefix, id, output.size()), callId, name);
        output.add(item);
        open = item;
        return item;
    }

    private void added(Item item, ObjectNode itemJson, ByteArrayOutputStream out) {
        ObjectNode data = json.createObjectNode().put("type", "response.output_item.added")
                .put("output_index", item.outputIndex);
        data.set("item", itemJson);
        send(data, out);
    }

    /** The open item's {@code …done} events, then {@code response.output_item.done} with it whole. */
    private void close(String status, ByteArrayOutputStream out) {
        Item item = open;
        if (item == null) {
            return;
        }
        open = null;
        item.status = status;
        String text = item.text.toString();
        switch (item.kind) {
            case TEXT -> {
                ObjectNode done = event("response.output_text.done", item).put("content_index", 0).put("text", text);
                done.putArray("logprobs");
                send(done, out);
                ObjectNode part = event("response.content_part.done", item).put("content_index", 0);
                part.set("part", items.outputText(text));
                send(part, out);
            }
            case REASONING -> {
                send(event("response.reasoning_summary_text.done", item).put("summary_index", 0).put("text", text), out);
                ObjectNode part = event("response.reasoning_summary_part.done", item).put("summary_index", 0);
                part.set("part", items.summaryText(text));
                send(part, out);
            }
            case CALL -> send(event("response.function_call_arguments.done", item).put("arguments", text)
                    .put("name", item.name), out);
        }
        ObjectNode data = json.createObjectNode().put("type", "response.output_item.done")
                .put("output_index", item.outputIndex);
        data.set("item", itemJson(item));
        send(data, out);
    }

    private ArrayNode outputItems() {
        ArrayNode array = json.createArrayNode();
        output.forEach(item -> array.add(itemJson(item)));
        return array;
    }

    private ObjectNode itemJson(Item item) {
        String text = item.text.toString();
        return switch (item.kind) {
            case TEXT -> items.message(item.id, item.status, text);
            case REASONING -> items.reasoning(item.id, text);
            case CALL -> items.functionCall(item.id, item.callId, item.name, text, item.status);
        };
    }

    /** An event about one item: its type, {@code item_id} and {@code output_index}. */
    private ObjectNode event(String type, Item item) {
        return json.createObjectNode().put("type", type).put("item_id", item.id).put("output_index", item.outputIndex);
    }

    private void send(ObjectNode data, ByteArrayOutputStream out) {
        data.put("sequence_number", sequence++);
        out.writeBytes(ResponsesErrorEncoder.frame(json, data.get("type").textValue(), data));
    }
}
