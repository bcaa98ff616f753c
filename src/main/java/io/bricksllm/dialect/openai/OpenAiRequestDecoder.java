package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.openai.JsonFields.absent;
import static io.bricksllm.dialect.openai.JsonFields.optionalBoolean;
import static io.bricksllm.dialect.openai.JsonFields.optionalNumber;
import static io.bricksllm.dialect.openai.JsonFields.optionalPositiveInt;
import static io.bricksllm.dialect.openai.JsonFields.optionalText;
import static io.bricksllm.dialect.openai.JsonFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.RequestBody;
import io.bricksllm.dialect.ReasoningEffort;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.Streaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads an OpenAI chat-completions request leniently: every shape OpenAI accepts is accepted;
 * fields with no canonical meaning (logprobs, seed, ...) are ignored.
 */
public final class OpenAiRequestDecoder {

    private final ObjectMapper json;
    private final OpenAiMessagesDecoder messages = new OpenAiMessagesDecoder();
    private final OpenAiToolsDecoder tools = new OpenAiToolsDecoder();

    public OpenAiRequestDecoder(ObjectMapper json) {
        this.json = json;
    }

    public ChatRequest decode(byte[] body) {
        return decode(RequestBody.parse(json, body));
    }

    public ChatRequest decode(JsonNode request) {
        RequestBody.object(request);
        return new ChatRequest(requiredText(request, "model", "model"), messages.messages(request),
                tools.tools(request), tools.toolChoice(request), optionalBoolean(request, "parallel_tool_calls"),
                tools.responseFormat(request), sampling(request), optionalText(request, "user", "user"),
                streaming(request));
    }

    private Sampling sampling(JsonNode request) {
        OptionalInt max = optionalPositiveInt(request, "max_completion_tokens");
        if (max.isEmpty()) {
            max = optionalPositiveInt(request, "max_tokens");
        }
        return new Sampling(max, optionalNumber(request, "temperature"), optionalNumber(request, "top_p"),
                stop(request.get("stop")), optionalPositiveInt(request, "n"), reasoningEffort(request));
    }

    private static Optional<ReasoningEffort> reasoningEffort(JsonNode request) {
        return optionalText(request, "reasoning_effort", "reasoning_effort").map(effort -> switch (effort) {
            case "none" -> ReasoningEffort.NONE;
            case "minimal" -> ReasoningEffort.MINIMAL;
            case "low" -> ReasoningEffort.LOW;
            case "medium" -> ReasoningEffort.MEDIUM;
            case "high" -> ReasoningEffort.HIGH;
            default -> throw new InvalidChatRequestException("reasoning_effort",
                    "must be none, minimal, low, medium or high");
        });
    }

    private static List<String> stop(JsonNode stop) {
        if (absent(stop)) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.textValue());
        }
        List<String> sequences = new ArrayList<>();
        if (stop.isArray()) {
            for (JsonNode sequence : stop) {
                if (!sequence.isTextual()) {
                    throw new InvalidChatRequestException("stop", "must be a string or an array of strings");
                }
                sequences.add(sequence.textValue());
            }
            return sequences;
        }
        throw new InvalidChatRequestException("stop", "must be a string or an array of strings");
    }

    private static Streaming streaming(JsonNode request) {
        boolean stream = optionalBoolean(request, "stream").orElse(false);
        JsonNode options = request.path("stream_options");
        return new Streaming(stream, stream && options.path("include_usage").asBoolean(false));
    }
}
