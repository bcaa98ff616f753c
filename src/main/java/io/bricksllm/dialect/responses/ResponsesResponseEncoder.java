package io.bricksllm.dialect.responses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.Part;
import java.util.Optional;

/**
 * A canonical answer as a Responses API {@code response} object, for callers of {@code /v1/responses} whose model
 * lives elsewhere. Output items keep the parts' order: a reasoning part is a {@code reasoning} item (its text as one
 * summary), each run of text parts one assistant {@code message} item, each tool call a {@code function_call} item.
 * A length or content-filter finish makes the response {@code incomplete} with its reason, and its last item
 * (the one being written when the model was cut off) {@code incomplete}, as OpenAI reports a cut answer and as
 * {@link ResponsesStreamEncoder} closes it.
 */
public final class ResponsesResponseEncoder {

    private final ObjectMapper json;
    private final ResponsesItems items;

    public ResponsesResponseEncoder(ObjectMapper json) {
        this.json = json;
        this.items = new ResponsesItems(json);
    }

    /** @param createdAt seconds since the epoch, as the Responses API's {@code created_at} */
    public byte[] encode(ChatResponse response, long createdAt, ResponsesEcho echo) {
        String id = ResponsesObject.responseId(response.id());
        String status = ResponsesObject.status(response.finishReason());
        ArrayNode output = json.createArrayNode();
        StringBuilder text = null; // the run of text being gathered into one message
        for (Part part : response.parts()) {
            if (part instanceof Part.Text(String value)) {
                text = text == null ? new StringBuilder(value) : text.append(value);
                continue;
            }
            if (text != null && (part instanceof Part.Reasoning || part instanceof Part.ToolCall)) {
                output.add(items.message(ResponsesObject.itemId(ResponsesItems.MESSAGE, id, output.size()),
                        "completed", text.toString()));
                text = null;
            }
            switch (part) {
                case Part.Reasoning reasoning -> output.add(items.reasoning(
                        ResponsesObject.itemId(ResponsesItems.REASONING, id, output.size()), reasoning.text()));
                case Part.ToolCall call -> output.add(items.functionCall(
                        ResponsesObject.itemId(ResponsesItems.FUNCTION_CALL, id, output.size()), call.id(), call.name(),
                        call.argumentsJson(), "completed"));
                case Part.Text ignored -> { }
                case Part.Image ignored -> { } // an answer has no images in the canonical model's providers
                case Part.ToolResult ignored -> { }
            }
        }
        if (text != null) {
            output.add(items.message(ResponsesObject.itemId(ResponsesItems.MESSAGE, id, output.size()), "completed",
                    text.toString()));
        }
        if (!status.equals("completed") && !output.isEmpty() && output.get(output.size() - 1).has("status")) {
            // the item the model was writing when cut off, as a stream closes it
            ((com.fasterxml.jackson.databind.node.ObjectNode) output.get(output.size() - 1)).put("status", "incomplete");
        }
        return ResponsesJson.bytes(json, new ResponsesObject(json, echo).build(id, createdAt, response.model(), status,
                output, response.usage(), ResponsesObject.incompleteReason(response.finishReason()), Optional.empty()));
    }
}
