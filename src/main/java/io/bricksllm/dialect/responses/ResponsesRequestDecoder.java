package io.bricksllm.dialect.responses;

import static io.bricksllm.dialect.responses.ResponsesJson.absent;
import static io.bricksllm.dialect.responses.ResponsesJson.bool;
import static io.bricksllm.dialect.responses.ResponsesJson.number;
import static io.bricksllm.dialect.responses.ResponsesJson.object;
import static io.bricksllm.dialect.responses.ResponsesJson.positiveInt;
import static io.bricksllm.dialect.responses.ResponsesJson.requiredText;
import static io.bricksllm.dialect.responses.ResponsesJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.ReasoningEffort;
import io.bricksllm.dialect.RequestBody;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Role;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.Streaming;
import io.bricksllm.dialect.Tool;
import io.bricksllm.dialect.ToolChoice;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a Responses API request (the caller's side of {@code POST /v1/responses}) into the canonical model.
 * <p>
 * {@code instructions} becomes a leading system message; {@code input} is one user message (a string) or a list of
 * items. Consecutive assistant-side items — assistant messages, {@code reasoning} and {@code function_call} items —
 * join one assistant turn, as a Responses transcript spreads one turn over several items; each
 * {@code function_call_output} is a {@link Role#TOOL} message. {@code developer} messages are system messages.
 * <p>
 * Translated requests are stateless (a translated target keeps nothing, and neither does the gateway), so what
 * refers to stored state is refused: {@code previous_response_id}, {@code conversation}, {@code store: true},
 * {@code background: true}, stored {@code prompt} templates and {@code item_reference} items. A reasoning item's
 * {@code encrypted_content} is ignored rather than refused: it is opaque data only OpenAI can read, SDKs replay it
 * whenever a caller asked for it, and its summary text (kept) is what another model can use. Fields with no
 * canonical meaning are ignored: {@code metadata} (echoed by the encoders, see {@link ResponsesEcho}),
 * {@code truncation}, {@code service_tier}, {@code include}, {@code prompt_cache_key}, {@code text.verbosity},
 * {@code reasoning.summary}, {@code top_logprobs}, {@code max_tool_calls}. Refusals name the field
 * ({@link UnsupportedByDialectException} with provider {@value #DIALECT}; the translation renames the provider);
 * malformed shapes are {@link InvalidChatRequestException}s naming the field with its index.
 */
public final class ResponsesRequestDecoder {

    /** The provider an ingress refusal names until the translation knows the target. */
    static final String DIALECT = "openai-responses";

    private static final String STATELESS = "translated requests are stateless (nothing is stored upstream or in the"
            + " gateway); send the whole conversation in input";

    private final ObjectMapper json;

    public ResponsesRequestDecoder(ObjectMapper json) {
        this.json = json;
    }

    public ChatRequest decode(byte[] body) {
        return decode(RequestBody.parse(json, body));
    }

    public ChatRequest decode(JsonNode request) {
        RequestBody.object(request);
        stateless(request);
        String model = requiredText(request, "model", "model");
        List<Message> messages = new ArrayList<>();
        text(request.get("instructions"), "instructions").ifPresent(
                instructions -> messages.add(Message.text(Role.SYSTEM, instructions)));
        input(request.get("input"), messages);
        return new ChatRequest(model, messages, tools(request.get("tools")), toolChoice(request.get("tool_choice")),
                bool(request, "parallel_tool_calls"), responseFormat(request.get("text")), sampling(request),
                user(request), streaming(request));
    }

    /**
     * {@code store} defaults to true in OpenAI's API, but only an explicit {@code true} is refused: SDKs omit it, and
     * a caller who did not ask for storage loses nothing when a translated target keeps nothing.
     */
    private static void stateless(JsonNode request) {
        for (String field : List.of("previous_response_id", "conversation", "prompt")) {
            if (!absent(request.get(field))) {
                throw new UnsupportedByDialectException(field, DIALECT, field.equals("prompt")
                        ? "stored prompt templates live at OpenAI; " + STATELESS : STATELESS);
            }
        }
        if (bool(request, "store").orElse(false)) {
            throw new UnsupportedByDialectException("store", DIALECT, STATELESS + " (omit store or set it to false)");
        }
        if (bool(request, "background").orElse(false)) {
            throw new UnsupportedByDialectException("background", DIALECT, "background responses are stored to be "
                    + "polled later; " + STATELESS);
        }
    }

    private static void input(JsonNode input, List<Message> out) {
        if (absent(input)) {
            throw new InvalidChatRequestException("input", "is required");
        }
        if (input.isTextual()) {
            out.add(Message.text(Role.USER, input.textValue()));
            return;
        }
        if (!input.isArray()) {
            throw new InvalidChatRequestException("input", "must be a string or an array of items");
        }
        List<Part> assistant = new ArrayList<>(); // the assistant turn being gathered
        for (int i = 0; i < input.size(); i++) {
            String path = "input[" + i + "]";
            JsonNode item = object(input.get(i), path);
            String type = text(item.get("type"), path + ".type").orElse(item.has("role") ? "message" : "");
            switch (type) {
                case "message" -> {
                    Role role = role(item, path);
                    List<Part> parts = content(item.get("content"), path + ".content");
                    if (role == Role.ASSISTANT) {
                        assistant.addAll(parts);
                    } else {
                        flush(assistant, out);
                        out.add(new Message(role, parts));
                    }
                }
                case "function_call" -> assistant.add(new Part.ToolCall(requiredText(item, "call_id", path + ".call_id"),
                        requiredText(item, "name", path + ".name"), arguments(item, path)));
                case "reasoning" -> reasoning(item, path).ifPresent(assistant::add);
                case "function_call_output" -> {
                    flush(assistant, out);
                    out.add(new Message(Role.TOOL, List.of(new Part.ToolResult(
                            requiredText(item, "call_id", path + ".call_id"), output(item.get("output"), path + ".output")))));
                }
                case "" -> throw new InvalidChatRequestException(path + ".type", "is required");
                case "item_reference" -> throw new UnsupportedByDialectException(path + ".type", DIALECT,
                        "item references point at stored items; " + STATELESS);
                default -> throw new UnsupportedByDialectException(path + ".type", DIALECT, "'" + type
                        + "' items can only go to OpenAI natively");
            }
        }
        flush(assistant, out);
    }

    private static void flush(List<Part> assistant, List<Message> out) {
        if (!assistant.isEmpty()) {
            out.add(new Message(Role.ASSISTANT, assistant));
            assistant.clear();
        }
    }

    private static Role role(JsonNode item, String path) {
        return switch (text(item.get("role"), path + ".role").orElse("")) {
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "system", "developer" -> Role.SYSTEM;
            default -> throw new InvalidChatRequestException(path + ".role", "must be user, assistant, system or developer");
        };
    }

    private static List<Part> content(JsonNode content, String path) {
        if (content != null && content.isTextual()) {
            return List.of(new Part.Text(content.textValue()));
        }
        if (content == null || !content.isArray()) {
            throw new InvalidChatRequestException(path, "must be a string or an array of content parts");
        }
        List<Part> parts = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            String partPath = path + "[" + j + "]";
            JsonNode part = object(content.get(j), partPath);
            String type = requiredText(part, "type", partPath + ".type");
            parts.add(switch (type) {
                case "input_text", "output_text" -> new Part.Text(requiredText(part, "text", partPath + ".text"));
                case "refusal" -> new Part.Text(requiredText(part, "refusal", partPath + ".refusal"));
                case "input_image" -> image(part, partPath);
                case "input_file", "input_audio" -> throw new UnsupportedByDialectException(partPath + ".type", DIALECT,
                        "'" + type + "' content can only go to OpenAI natively");
                default -> throw new InvalidChatRequestException(partPath + ".type", "unknown content type '" + type + "'");
            });
        }
        return parts;
    }

    private static Part.Image image(JsonNode part, String path) {
        Optional<String> url = text(part.get("image_url"), path + ".image_url");
        if (url.isPresent()) {
            return new Part.Image(url.get());
        }
        if (!absent(part.get("file_id"))) {
            throw new UnsupportedByDialectException(path + ".file_id", DIALECT,
                    "images uploaded to OpenAI's Files API can only go to OpenAI natively; send image_url");
        }
        throw new InvalidChatRequestException(path + ".image_url", "is required");
    }

    /** The model's arguments as sent; they stay text, as the canonical tool call keeps them. */
    private static String arguments(JsonNode item, String path) {
        return requiredText(item, "arguments", path + ".arguments");
    }

    /** Summary texts, or else the raw reasoning texts, as one reasoning part; nothing when the item has no text. */
    private static Optional<Part> reasoning(JsonNode item, String path) {
        List<String> texts = new ArrayList<>();
        collect(item.get("summary"), "summary_text", path + ".summary", texts);
        if (texts.isEmpty()) {
            collect(item.get("content"), "reasoning_text", path + ".content", texts);
        }
        String text = String.join("\n\n", texts);
        return text.isEmpty() ? Optional.empty() : Optional.of(new Part.Reasoning(text, Optional.empty()));
    }

    private static void collect(JsonNode parts, String type, String path, List<String> out) {
        if (absent(parts)) {
            return;
        }
        if (!parts.isArray()) {
            throw new InvalidChatRequestException(path, "must be an array");
        }
        for (int k = 0; k < parts.size(); k++) {
            String partPath = path + "[" + k + "]";
            JsonNode part = object(parts.get(k), partPath);
            if (!type.equals(text(part.get("type"), partPath + ".type").orElse(type))) {
                throw new InvalidChatRequestException(partPath + ".type", "must be " + type);
            }
            String text = requiredText(part, "text", partPath + ".text");
            if (!text.isEmpty()) {
                out.add(text);
            }
        }
    }

    /** A tool's output: a string, or text parts joined (the canonical tool result is text only). */
    private static String output(JsonNode output, String path) {
        if (output != null && output.isTextual()) {
            return output.textValue();
        }
        if (output == null || !output.isArray()) {
            throw new InvalidChatRequestException(path, "must be a string or an array of content parts");
        }
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < output.size(); k++) {
            String partPath = path + "[" + k + "]";
            JsonNode part = object(output.get(k), partPath);
            String type = requiredText(part, "type", partPath + ".type");
            switch (type) {
                case "input_text", "output_text" -> text.append(requiredText(part, "text", partPath + ".text"));
                case "input_image", "input_file" -> throw new UnsupportedByDialectException(partPath + ".type", DIALECT,
                        "tool outputs may contain text only when translated");
                default -> throw new InvalidChatRequestException(partPath + ".type", "unknown content type '" + type + "'");
            }
        }
        return text.toString();
    }

    private static List<Tool> tools(JsonNode tools) {
        if (absent(tools)) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw new InvalidChatRequestException("tools", "must be an array");
        }
        List<Tool> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode tool = object(tools.get(i), path);
            String type = requiredText(tool, "type", path + ".type");
            if (!type.equals("function")) {
                throw new UnsupportedByDialectException(path + ".type", DIALECT, "built-in tools (" + type
                        + ") can only go to OpenAI natively; only function tools can be translated");
            }
            JsonNode parameters = tool.get("parameters");
            if (absent(parameters)) {
                parameters = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("type", "object"); // OpenAI allows a function without parameters
            } else if (!parameters.isObject()) {
                throw new InvalidChatRequestException(path + ".parameters", "must be a JSON schema object");
            }
            // OpenAI defaults strict to true only where the schema allows it; we enforce no more than was asked
            boolean strict = bool(tool, "strict", path + ".strict").map(Boolean::booleanValue).orElse(false);
            out.add(new Tool(requiredText(tool, "name", path + ".name"), text(tool.get("description"),
                    path + ".description"), parameters, strict));
        }
        return out;
    }

    private static Optional<ToolChoice> toolChoice(JsonNode choice) {
        if (absent(choice)) {
            return Optional.empty();
        }
        if (choice.isTextual()) {
            return Optional.of(switch (choice.textValue()) {
                case "auto" -> new ToolChoice.Auto();
                case "none" -> new ToolChoice.None();
                case "required" -> new ToolChoice.Required();
                default -> throw new InvalidChatRequestException("tool_choice", "must be auto, none, required or an object");
            });
        }
        JsonNode node = object(choice, "tool_choice");
        String type = requiredText(node, "type", "tool_choice.type");
        if (!type.equals("function")) {
            throw new UnsupportedByDialectException("tool_choice.type", DIALECT, "'" + type
                    + "' tool choices can only go to OpenAI natively");
        }
        return Optional.of(new ToolChoice.Named(requiredText(node, "name", "tool_choice.name")));
    }

    /** {@code text.format}: flat in the Responses API, unlike chat's {@code response_format.json_schema}. */
    private static ResponseFormat responseFormat(JsonNode text) {
        if (absent(text)) {
            return new ResponseFormat.Text();
        }
        JsonNode format = object(text, "text").get("format");
        if (absent(format)) {
            return new ResponseFormat.Text();
        }
        object(format, "text.format");
        String type = requiredText(format, "type", "text.format.type");
        return switch (type) {
            case "text" -> new ResponseFormat.Text();
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> {
                JsonNode schema = format.get("schema");
                if (schema == null || !schema.isObject()) {
                    throw new InvalidChatRequestException("text.format.schema", "must be a JSON schema object");
                }
                JsonNode strict = format.get("strict");
                if (!absent(strict) && !strict.isBoolean()) {
                    throw new InvalidChatRequestException("text.format.strict", "must be true or false");
                }
                yield new ResponseFormat.JsonSchema(requiredText(format, "name", "text.format.name"), schema,
                        !absent(strict) && strict.booleanValue());
            }
            default -> throw new InvalidChatRequestException("text.format.type", "must be text, json_object or json_schema");
        };
    }

    private static Sampling sampling(JsonNode request) {
        OptionalInt max = positiveInt(request, "max_output_tokens");
        return new Sampling(max, number(request, "temperature"), number(request, "top_p"), List.of(),
                OptionalInt.empty(), effort(request.get("reasoning")));
    }

    private static Optional<ReasoningEffort> effort(JsonNode reasoning) {
        if (absent(reasoning)) {
            return Optional.empty();
        }
        return text(object(reasoning, "reasoning").get("effort"), "reasoning.effort").map(effort -> switch (effort) {
            case "none" -> ReasoningEffort.NONE;
            case "minimal" -> ReasoningEffort.MINIMAL;
            case "low" -> ReasoningEffort.LOW;
            case "medium" -> ReasoningEffort.MEDIUM;
            case "high" -> ReasoningEffort.HIGH;
            default -> throw new InvalidChatRequestException("reasoning.effort", "must be none, minimal, low, medium or high");
        });
    }

    /** {@code user} is deprecated in favour of {@code safety_identifier}; either names the end user. */
    private static Optional<String> user(JsonNode request) {
        Optional<String> user = text(request.get("user"), "user");
        return user.isPresent() ? user : text(request.get("safety_identifier"), "safety_identifier");
    }

    /** Responses streams always carry usage (in {@code response.completed}), so a streaming caller gets it. */
    private static Streaming streaming(JsonNode request) {
        return bool(request, "stream").orElse(false) ? new Streaming(true, true) : Streaming.OFF;
    }
}
