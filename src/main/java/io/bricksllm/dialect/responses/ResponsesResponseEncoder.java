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
 * A length or content-filter finish makes the response {@code incomplete} with its reason, and its messages
 * {@code incomplete}, as OpenAI reports a cut answer.
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
        String messageStatus = status.equals("completed") ? "completed" : "incomplete";
        ArrayNode output = json.createArrayNode();
        StringBuilder text = null; // the run of text being gathered into one message
        for (Part part : response.parts()) {
            if (part instanceof Part.Text(String value)) {
                text = text == null ? new StringBuilder(value) : text.append(value);
                continue;
            }
            if (text != null && (part instanceof Part.Reasoning || part instanceof Part.ToolCall)) {
                output.add(items.message(ResponsesObject.itemId(ResponsesItems.MESSAGE, id, output.size()),
                        messageStatus, text.toString()));
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
            output.add(items.message(ResponsesObject.itemId(ResponsesItems.MESSAGE, id, output.size()), messageStatus,
                    text.toString()));
        }
        return ResponsesJson.bytes(json, new ResponsesObject(json, echo).build(id, createdAt, response.model(), status,
                output, response.usage(), ResponsesObject.incompleteReason(response.finishReason()), Optional.empty()));
    }
}
