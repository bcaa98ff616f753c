package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.DialectFixtures.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.ReasoningEffort;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Role;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.Streaming;
import io.bricksllm.dialect.Tool;
import io.bricksllm.dialect.ToolChoice;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Canonical requests the OpenAI egress tests encode, by fixture name. */
final class CanonicalRequests {

    static final String MODEL = "gpt-4.1";

    private CanonicalRequests() {
    }

    static ChatRequest named(String name) {
        return switch (name) {
            case "text" -> request(List.of(Message.text(Role.SYSTEM, "You are terse."),
                            Message.text(Role.USER, "Say hi.")), List.of(), Optional.empty(), Optional.empty(),
                    new ResponseFormat.Text(), new Sampling(OptionalInt.of(256), OptionalDouble.of(0.2),
                            OptionalDouble.of(0.9), List.of("END", "STOP"), OptionalInt.empty(), Optional.empty()),
                    Optional.of("user-1"), Streaming.OFF);
            case "images" -> request(List.of(new Message(Role.USER, List.of(new Part.Text("What differs?"),
                            new Part.Image("data:image/png;base64,iVBORw0KGgo="),
                            new Part.Image("https://example.com/b.png")))), List.of(), Optional.empty(),
                    Optional.empty(), new ResponseFormat.Text(), Sampling.DEFAULTS, Optional.empty(), Streaming.OFF);
            case "tools-round-trip" -> request(List.of(
                            Message.text(Role.SYSTEM, "Use tools."),
                            Message.text(Role.USER, "Weather in Paris?"),
                            new Message(Role.ASSISTANT, List.of(
                                    new Part.Reasoning("I should call the weather tool.", Optional.of("sig")),
                                    new Part.Text("Checking."),
                                    new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
                            new Message(Role.TOOL, List.of(new Part.ToolResult("call_1", "{\"temp\":21}"))),
                            Message.text(Role.SYSTEM, "Answer in one line."),
                            Message.text(Role.USER, "And so?")),
                    List.of(weather(), clock()), Optional.of(new ToolChoice.Auto()), Optional.empty(),
                    new ResponseFormat.Text(), Sampling.DEFAULTS, Optional.empty(), Streaming.OFF);
            case "parallel-tool-calls" -> request(List.of(
                            Message.text(Role.USER, "Weather in Paris and Rome, and the time?"),
                            new Message(Role.ASSISTANT, List.of(
                                    new Part.ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
                                    new Part.ToolCall("call_b", "get_weather", "{\"city\":\"Rome\"}"),
                                    new Part.ToolCall("call_c", "now", "{}"))),
                            new Message(Role.TOOL, List.of(new Part.ToolResult("call_a", "21C"))),
                            new Message(Role.TOOL, List.of(new Part.ToolResult("call_b", "25C"),
                                    new Part.ToolResult("call_c", "12:00")))),
                    List.of(weather(), clock()), Optional.of(new ToolChoice.Required()), Optional.of(true),
                    new ResponseFormat.Text(), Sampling.DEFAULTS, Optional.empty(), Streaming.OFF);
            case "named-tool-choice" -> request(List.of(Message.text(Role.USER, "Weather in Oslo?")),
                    List.of(weather()), Optional.of(new ToolChoice.Named("get_weather")), Optional.of(false),
                    new ResponseFormat.Text(), Sampling.DEFAULTS, Optional.empty(), Streaming.OFF);
            case "json-schema" -> request(List.of(Message.text(Role.USER, "Name a colour.")), List.of(),
                    Optional.empty(), Optional.empty(), new ResponseFormat.JsonSchema("colour", json(
                            "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
                                    + "\"required\":[\"name\"],\"additionalProperties\":false}"), true),
                    new Sampling(OptionalInt.empty(), OptionalDouble.empty(), OptionalDouble.empty(), List.of(),
                            OptionalInt.of(2), Optional.empty()), Optional.empty(), Streaming.OFF);
            case "json-object" -> request(List.of(Message.text(Role.USER, "Give me JSON.")), List.of(),
                    Optional.empty(), Optional.empty(), new ResponseFormat.JsonObject(), Sampling.DEFAULTS,
                    Optional.empty(), Streaming.OFF);
            case "reasoning-effort" -> request(List.of(Message.text(Role.USER, "Prove it.")), List.of(),
                    Optional.empty(), Optional.empty(), new ResponseFormat.Text(),
                    new Sampling(OptionalInt.of(4000), OptionalDouble.empty(), OptionalDouble.empty(), List.of(),
                            OptionalInt.empty(), Optional.of(ReasoningEffort.HIGH)), Optional.empty(), Streaming.OFF);
            // the caller did not ask for usage; the upstream is asked anyway
            case "streaming" -> request(List.of(Message.text(Role.USER, "Count to 3.")), List.of(), Optional.empty(),
                    Optional.empty(), new ResponseFormat.Text(), Sampling.DEFAULTS, Optional.empty(),
                    new Streaming(true, false));
            case "streaming-with-usage" -> request(List.of(Message.text(Role.USER, "Count to 3.")), List.of(),
                    Optional.empty(), Optional.empty(), new ResponseFormat.Text(), new Sampling(OptionalInt.empty(),
                            OptionalDouble.of(1.5), OptionalDouble.empty(), List.of(), OptionalInt.empty(),
                            Optional.of(ReasoningEffort.MINIMAL)), Optional.empty(), new Streaming(true, true));
            default -> throw new IllegalArgumentException("no canonical request " + name);
        };
    }

    static ChatRequest request(List<Message> messages, List<Tool> tools, Optional<ToolChoice> toolChoice,
            Optional<Boolean> parallelToolCalls, ResponseFormat format, Sampling sampling, Optional<String> user,
            Streaming streaming) {
        return new ChatRequest(MODEL, messages, tools, toolChoice, parallelToolCalls, format, sampling, user,
                streaming);
    }

    private static Tool weather() {
        return new Tool("get_weather", Optional.of("Current weather for a city"), json(
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],"
                        + "\"additionalProperties\":false}"), true);
    }

    private static Tool clock() {
        return new Tool("now", Optional.empty(), json("{\"type\":\"object\"}"), false);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
