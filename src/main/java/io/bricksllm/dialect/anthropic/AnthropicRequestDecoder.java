package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.RequestBody;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.ReasoningEffort;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Role;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.Streaming;
import io.bricksllm.dialect.Tool;
import io.bricksllm.dialect.ToolChoice;
import io.bricksllm.dialect.UnsupportedByDialectException;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Reads an Anthropic Messages request (the caller's side of {@code /v1/messages}) into the canonical model,
 * leniently: fields with no canonical meaning are ignored — {@code top_k} (only Anthropic and Gemini have it; the
 * canonical sampling keeps what every target supports), {@code cache_control} (a native-path optimisation),
 * {@code service_tier}, {@code container}, {@code mcp_servers}, {@code redacted_thinking} blocks (opaque data only
 * Anthropic can read: a translated target could not use it) and a tool result's {@code is_error} (the canonical tool
 * result is text only; the error text still reaches the model). What the canonical model cannot carry at all —
 * documents, images inside tool results, server tools — is refused naming the field
 * ({@link UnsupportedByDialectException} with provider {@value #DIALECT}; the translation renames the provider).
 * A {@code user} message's {@code tool_result} blocks become {@link Role#TOOL} messages, in order, around its other
 * content, as OpenAI's shape has them.
 */
public final class AnthropicRequestDecoder {

    /** The provider an ingress refusal names until the translation knows the target. */
    static final String DIALECT = "anthropic-messages";

    private final ObjectMapper json;

    public AnthropicRequestDecoder(ObjectMapper json) {
        this.json = json;
    }

    public ChatRequest decode(byte[] body) {
        return decode(RequestBody.parse(json, body));
    }

    public ChatRequest decode(JsonNode request) {
        RequestBody.object(request);
        String model = text(request.get("model"), "model").orElseThrow(
                () -> new InvalidChatRequestException("model", "is required"));
        List<Message> messages = new ArrayList<>();
        system(request.get("system"), messages);
        JsonNode turns = request.get("messages");
        if (turns == null || !turns.isArray()) {
            throw new InvalidChatRequestException("messages", "must be an array");
        }
        for (int i = 0; i < turns.size(); i++) {
            message(turns.get(i), "messages[" + i + "]", messages);
        }
        JsonNode choice = request.get("tool_choice");
        return new ChatRequest(model, messages, tools(request.get("tools")), toolChoice(choice),
                parallelToolCalls(choice), responseFormat(request), sampling(request), user(request),
                streaming(request));
    }

    private static void system(JsonNode system, List<Message> out) {
        if (absent(system)) {
            return;
        }
        if (system.isTextual()) {
            out.add(Message.text(Role.SYSTEM, system.textValue()));
            return;
        }
        if (!system.isArray()) {
            throw new InvalidChatRequestException("system", "must be a string or an array of text blocks");
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < system.size(); i++) {
            String path = "system[" + i + "]";
            JsonNode block = object(system.get(i), path);
            if (!"text".equals(block.path("type").asText())) {
                throw new InvalidChatRequestException(path + ".type", "must be text");
            }
            parts.add(new Part.Text(requiredText(block, "text", path + ".text")));
        }
        out.add(new Message(Role.SYSTEM, parts));
    }

    private void message(JsonNode node, String path, List<Message> out) {
        JsonNode message = object(node, path);
        String roleName = text(message.get("role"), path + ".role").orElse("");
        Role role = switch (roleName) {
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            default -> throw new InvalidChatRequestException(path + ".role", "must be user or assistant");
        };
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            out.add(Message.text(role, content.textValue()));
            return;
        }
        if (content == null || !content.isArray()) {
            throw new InvalidChatRequestException(path + ".content", "must be a string or an array of content blocks");
        }
        List<Part> pending = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            String blockPath = path + ".content[" + j + "]";
            JsonNode block = object(content.get(j), blockPath);
            String type = text(block.get("type"), blockPath + ".type").orElse("");
            switch (type) {
                case "text" -> pending.add(new Part.Text(requiredText(block, "text", blockPath + ".text")));
                case "image" -> pending.add(image(block, blockPath));
                case "tool_use" -> {
                    onlyFrom(role, Role.ASSISTANT, blockPath);
                    pending.add(toolUse(block, blockPath));
                }
                case "tool_result" -> {
                    onlyFrom(role, Role.USER, blockPath);
                    flush(role, pending, out);
                    out.add(new Message(Role.TOOL, List.of(toolResult(block, blockPath))));
                }
                case "thinking" -> {
                    onlyFrom(role, Role.ASSISTANT, blockPath);
                    // an empty signature is what this gateway's encoders send for another provider's reasoning
                    pending.add(new Part.Reasoning(requiredText(block, "thinking", blockPath + ".thinking"),
                            text(block.get("signature"), blockPath + ".signature").filter(s -> !s.isEmpty())));
                }
                case "redacted_thinking" -> { } // opaque to every target but Anthropic: see the class comment
                case "document", "search_result", "server_tool_use", "web_search_tool_result", "container_upload",
                        "mcp_tool_use", "mcp_tool_result" -> throw new UnsupportedByDialectException(
                        blockPath + ".type", DIALECT, type + " blocks can only go to Anthropic natively");
                default -> throw new InvalidChatRequestException(blockPath + ".type", "unknown content block type '"
                        + type + "'");
            }
        }
        flush(role, pending, out);
    }

    /** Adds the parts gathered so far as one message of {@code role}. */
    private static void flush(Role role, List<Part> pending, List<Message> out) {
        if (!pending.isEmpty()) {
            out.add(new Message(role, pending));
            pending.clear();
        }
    }

    private static void onlyFrom(Role role, Role expected, String path) {
        if (role != expected) {
            throw new InvalidChatRequestException(path + ".type", "only " + expected.name().toLowerCase()
                    + " messages may contain this block");
        }
    }

    private static Part.Image image(JsonNode block, String path) {
        JsonNode source = object(block.get("source"), path + ".source");
        String type = text(source.get("type"), path + ".source.type").orElse("");
        return switch (type) {
            case "base64" -> new Part.Image("data:" + requiredText(source, "media_type", path + ".source.media_type")
                    + ";base64," + requiredText(source, "data", path + ".source.data"));
            case "url" -> new Part.Image(requiredText(source, "url", path + ".source.url"));
            case "file" -> throw new UnsupportedByDialectException(path + ".source.type", DIALECT,
                    "file images (Files API) can only go to Anthropic natively");
            default -> throw new InvalidChatRequestException(path + ".source.type", "must be base64 or url");
        };
    }

    private Part.ToolCall toolUse(JsonNode block, String path) {
        JsonNode input = block.get("input");
        if (input == null || !input.isObject()) {
            throw new InvalidChatRequestException(path + ".input", "must be an object");
        }
        try {
            return new Part.ToolCall(requiredText(block, "id", path + ".id"), requiredText(block, "name", path + ".name"),
                    json.writeValueAsString(input));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a parsed tree always serialises
        }
    }

    private static Part.ToolResult toolResult(JsonNode block, String path) {
        String id = requiredText(block, "tool_use_id", path + ".tool_use_id");
        JsonNode content = block.get("content");
        if (absent(content)) {
            return new Part.ToolResult(id, "");
        }
        if (content.isTextual()) {
            return new Part.ToolResult(id, content.textValue());
        }
        if (!content.isArray()) {
            throw new InvalidChatRequestException(path + ".content", "must be a string or an array of blocks");
        }
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < content.size(); k++) {
            String inner = path + ".content[" + k + "]";
            JsonNode part = object(content.get(k), inner);
            String type = part.path("type").asText();
            if (!type.equals("text")) {
                throw new UnsupportedByDialectException(inner + ".type", DIALECT,
                        "tool results may contain text only when translated");
            }
            if (!text.isEmpty()) {
                text.append('\n'); // the blocks are paragraphs of one result
            }
            text.append(requiredText(part, "text", inner + ".text"));
        }
        return new Part.ToolResult(id, text.toString());
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
            String type = text(tool.get("type"), path + ".type").orElse("custom");
            if (!type.equals("custom")) {
                throw new UnsupportedByDialectException(path + ".type", DIALECT,
                        "server tools (" + type + ") can only go to Anthropic natively");
            }
            JsonNode schema = tool.get("input_schema");
            if (schema == null || !schema.isObject()) {
                throw new InvalidChatRequestException(path + ".input_schema", "must be an object");
            }
            JsonNode strict = tool.get("strict");
            out.add(new Tool(requiredText(tool, "name", path + ".name"), text(tool.get("description"), path
                    + ".description"), schema, strict != null && strict.asBoolean(false)));
        }
        return out;
    }

    private static Optional<ToolChoice> toolChoice(JsonNode choice) {
        if (absent(choice)) {
            return Optional.empty();
        }
        JsonNode node = object(choice, "tool_choice");
        String type = text(node.get("type"), "tool_choice.type").orElse("");
        return Optional.of(switch (type) {
            case "auto" -> new ToolChoice.Auto();
            case "any" -> new ToolChoice.Required();
            case "none" -> new ToolChoice.None();
            case "tool" -> new ToolChoice.Named(requiredText(node, "name", "tool_choice.name"));
            default -> throw new InvalidChatRequestException("tool_choice.type", "must be auto, any, tool or none");
        });
    }

    /** Anthropic says it the other way round: {@code disable_parallel_tool_use}. */
    private static Optional<Boolean> parallelToolCalls(JsonNode choice) {
        JsonNode disable = absent(choice) ? null : choice.get("disable_parallel_tool_use");
        if (absent(disable)) {
            return Optional.empty();
        }
        if (!disable.isBoolean()) {
            throw new InvalidChatRequestException("tool_choice.disable_parallel_tool_use", "must be true or false");
        }
        return Optional.of(!disable.booleanValue());
    }

    /**
     * Structured outputs: {@code output_config.format} (and the beta's {@code output_format}) with a JSON schema.
     * Anthropic's schema has no name; OpenAI-shaped targets need one, so it is {@code output}. Anthropic always
     * enforces the schema, hence strict.
     */
    private static ResponseFormat responseFormat(JsonNode request) {
        JsonNode format = request.path("output_config").get("format");
        String path = "output_config.format";
        if (absent(format)) {
            format = request.get("output_format");
            path = "output_format";
        }
        if (absent(format)) {
            return new ResponseFormat.Text();
        }
        JsonNode node = object(format, path);
        if (!"json_schema".equals(text(node.get("type"), path + ".type").orElse(""))) {
            throw new InvalidChatRequestException(path + ".type", "must be json_schema");
        }
        JsonNode schema = node.get("schema");
        if (schema == null || !schema.isObject()) {
            throw new InvalidChatRequestException(path + ".schema", "must be an object");
        }
        return new ResponseFormat.JsonSchema("output", schema, true);
    }

    private static Sampling sampling(JsonNode request) {
        OptionalInt max = OptionalInt.empty();
        JsonNode maxTokens = request.get("max_tokens");
        if (!absent(maxTokens)) {
            if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.intValue() <= 0) {
                throw new InvalidChatRequestException("max_tokens", "must be a positive integer");
            }
            max = OptionalInt.of(maxTokens.intValue());
        }
        return new Sampling(max, number(request, "temperature"), number(request, "top_p"), stop(request),
                OptionalInt.empty(), effort(request.get("thinking")));
    }

    private static OptionalDouble number(JsonNode request, String name) {
        JsonNode node = request.get(name);
        if (absent(node)) {
            return OptionalDouble.empty();
        }
        if (!node.isNumber()) {
            throw new InvalidChatRequestException(name, "must be a number");
        }
        return OptionalDouble.of(node.doubleValue());
    }

    private static List<String> stop(JsonNode request) {
        JsonNode sequences = request.get("stop_sequences");
        if (absent(sequences)) {
            return List.of();
        }
        if (!sequences.isArray()) {
            throw new InvalidChatRequestException("stop_sequences", "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            out.add(text(sequences.get(i), "stop_sequences[" + i + "]").orElseThrow(
                    () -> new InvalidChatRequestException("stop_sequences", "must be an array of strings")));
        }
        return out;
    }

    /**
     * Extended thinking as an effort, the inverse of {@link ReasoningEffort#claudeThinkingBudget()}: each budget maps
     * to the smallest effort whose budget covers it, so a budget round-trips to Anthropic as at least what was asked
     * (up to high's 16384). Disabled thinking, Anthropic's model-chosen {@code adaptive} and {@code between_tools}, and any
     * mode Anthropic adds later say nothing: the SDKs send new modes first, and a translated target simply thinks as it
     * would by default.
     */
    private static Optional<ReasoningEffort> effort(JsonNode thinking) {
        if (absent(thinking)) {
            return Optional.empty();
        }
        JsonNode node = object(thinking, "thinking");
        String type = text(node.get("type"), "thinking.type").orElse("");
        return switch (type) {
            case "disabled", "adaptive", "between_tools" -> Optional.empty();
            case "enabled" -> {
                JsonNode budget = node.get("budget_tokens");
                if (budget == null || !budget.isIntegralNumber() || !budget.canConvertToInt() || budget.intValue() <= 0) {
                    throw new InvalidChatRequestException("thinking.budget_tokens", "must be a positive integer");
                }
                int tokens = budget.intValue();
                yield Optional.of(tokens <= ReasoningEffort.LOW.claudeThinkingBudget() ? ReasoningEffort.LOW
                        : tokens <= ReasoningEffort.MEDIUM.claudeThinkingBudget() ? ReasoningEffort.MEDIUM
                        : ReasoningEffort.HIGH);
            }
            default -> {
                if (type.isEmpty()) throw new InvalidChatRequestException("thinking.type", "is required");
                yield Optional.empty();
            }
        };
    }

    private static Optional<String> user(JsonNode request) {
        JsonNode metadata = request.get("metadata");
        if (absent(metadata)) {
            return Optional.empty();
        }
        return text(object(metadata, "metadata").get("user_id"), "metadata.user_id");
    }

    /** Anthropic streams always carry usage, so a streaming caller gets it. */
    private static Streaming streaming(JsonNode request) {
        JsonNode stream = request.get("stream");
        if (absent(stream)) {
            return Streaming.OFF;
        }
        if (!stream.isBoolean()) {
            throw new InvalidChatRequestException("stream", "must be true or false");
        }
        return stream.booleanValue() ? new Streaming(true, true) : Streaming.OFF;
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    private static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidChatRequestException(path, "must be an object");
        }
        return node;
    }

    private static Optional<String> text(JsonNode node, String path) {
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new InvalidChatRequestException(path, "must be a string");
        }
        return Optional.of(node.textValue());
    }

    private static String requiredText(JsonNode parent, String name, String path) {
        return text(parent.get(name), path).orElseThrow(() -> new InvalidChatRequestException(path, "is required"));
    }
}
