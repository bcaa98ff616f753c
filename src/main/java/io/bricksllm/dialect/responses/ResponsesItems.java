package io.bricksllm.dialect.responses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The output items and content parts a response carries, the same whole and streamed. */
final class ResponsesItems {

    static final String MESSAGE = "msg_";
    static final String REASONING = "rs_";
    static final String FUNCTION_CALL = "fc_";

    private final ObjectMapper json;

    ResponsesItems(ObjectMapper json) {
        this.json = json;
    }

    /** An assistant message; {@code text} null for one just opened (no content part yet). */
    ObjectNode message(String id, String status, String text) {
        ObjectNode item = json.createObjectNode().put("id", id).put("type", "message").put("status", status)
                .put("role", "assistant");
        var content = item.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return item;
    }

    ObjectNode outputText(String text) {
        ObjectNode part = json.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        return part;
    }

    /** A reasoning item; {@code summary} null for one just opened (no summary part yet). */
    ObjectNode reasoning(String id, String summary) {
        ObjectNode item = json.createObjectNode().put("id", id).put("type", "reasoning");
        var parts = item.putArray("summary");
        if (summary != null) {
            parts.add(summaryText(summary));
        }
        return item;
    }

    ObjectNode summaryText(String text) {
        return json.createObjectNode().put("type", "summary_text").put("text", text);
    }

    ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
        return json.createObjectNode().put("id", id).put("type", "function_call").put("status", status)
                .put("arguments", arguments).put("call_id", callId).put("name", name);
    }
}
