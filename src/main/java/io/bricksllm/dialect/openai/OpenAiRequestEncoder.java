package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.Tool;
import io.bricksllm.dialect.ToolChoice;
import java.util.Locale;

/**
 * A canonical request as an OpenAI {@code /chat/completions} body, for OpenAI itself and every provider that speaks
 * its dialect (Azure, vLLM, Groq, …). Fields are written in one fixed order; optional ones only when the caller set
 * them, so each provider's own defaults apply and providers that lag behind OpenAI see as little as possible.
 */
public final class OpenAiRequestEncoder {

    static final String PROVIDER = "openai";

    private final ObjectMapper json;
    private final OpenAiMessagesEncoder messages;

    public OpenAiRequestEncoder(ObjectMapper json) {
        this.json = json;
        this.messages = new OpenAiMessagesEncoder(json);
    }

    /** @param model the model id as the upstream names it (the caller's prefix already removed) */
    public ObjectNode encode(ChatRequest request, String model) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        body.set("messages", messages.messages(request.messages()));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            request.tools().forEach(tool -> tools.add(tool(tool)));
        }
        request.toolChoice().ifPresent(choice -> toolChoice(choice, body));
        request.parallelToolCalls().ifPresent(parallel -> body.put("parallel_tool_calls", parallel));
        responseFormat(request.responseFormat(), body);
        sampling(request.sampling(), body);
        request.user().ifPresent(user -> body.put("user", user));
        if (request.streaming().stream()) {
            body.put("stream", true);
            // always: the gateway meters a stream from its final usage chunk, whether or not the caller wants it
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private ObjectNode tool(Tool tool) {
        ObjectNode node = json.createObjectNode().put("type", "function");
        ObjectNode function = node.putObject("function").put("name", tool.name());
        tool.description().ifPresent(description -> function.put("description", description));
        function.set("parameters", tool.parameters().deepCopy());
        if (tool.strict()) { // false is OpenAI's default; some compatible servers reject the field
            function.put("strict", true);
        }
        return node;
    }

    private static void toolChoice(ToolChoice choice, ObjectNode body) {
        switch (choice) {
            case ToolChoice.Auto ignored -> body.put("tool_choice", "auto");
            case ToolChoice.None ignored -> body.put("tool_choice", "none");
            case ToolChoice.Required ignored -> body.put("tool_choice", "required");
            case ToolChoice.Named named -> body.putObject("tool_choice").put("type", "function")
                    .putObject("function").put("name", named.name());
        }
    }

    private static void responseFormat(ResponseFormat format, ObjectNode body) {
        switch (format) {
            case ResponseFormat.Text ignored -> { } // the default: left out
            case ResponseFormat.JsonObject ignored -> body.putObject("response_format").put("type", "json_object");
            case ResponseFormat.JsonSchema schema -> {
                ObjectNode spec = body.putObject("response_format").put("type", "json_schema")
                        .putObject("json_schema").put("name", schema.name());
                spec.set("schema", schema.schema().deepCopy());
                if (schema.strict()) {
                    spec.put("strict", true);
                }
            }
        }
    }

    private static void sampling(Sampling sampling, ObjectNode body) {
        // max_completion_tokens, not the deprecated max_tokens that reasoning models refuse
        sampling.maxOutputTokens().ifPresent(max -> body.put("max_completion_tokens", max));
        sampling.temperature().ifPresent(t -> body.put("temperature", t));
        sampling.topP().ifPresent(p -> body.put("top_p", p));
        if (!sampling.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            sampling.stop().forEach(stop::add);
        }
        sampling.n().ifPresent(n -> body.put("n", n));
        sampling.reasoningEffort().ifPresent(effort -> body.put("reasoning_effort",
                effort.name().toLowerCase(Locale.ROOT)));
    }
}
