package io.bricksllm.dialect.responses;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The canonical answers and streams the encoder goldens are made from, with the echo of the request behind each. */
final class ResponsesCases {

    static final long CREATED_AT = 1_741_476_542L;

    private static final Usage PROMPT = new Usage(OptionalLong.of(2310), OptionalLong.empty(), OptionalLong.of(2000),
            OptionalLong.empty(), OptionalLong.empty());
    private static final Usage FINAL = new Usage(OptionalLong.of(2310), OptionalLong.of(57), OptionalLong.of(2000),
            OptionalLong.of(300), OptionalLong.of(12));
    private static final Usage SIMPLE = new Usage(OptionalLong.of(36), OptionalLong.of(87), OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty());

    private ResponsesCases() {
    }

    /** The echo of a golden request: what the SDK requires the response to repeat. */
    static ResponsesEcho echo(String request) {
        JsonNode body = json("responses/requests/" + request + ".responses.json");
        return ResponsesEcho.of(body, new ResponsesRequestDecoder(JSON).decode(body));
    }

    record Answer(ChatResponse response, String request) {
    }

    static final Map<String, Answer> ANSWERS = Map.of(
            "text", new Answer(new ChatResponse("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5",
                    List.of(new Part.Text("Under a silver moon, "), new Part.Text("a unicorn named Lumina… 🦄")),
                    FinishReason.STOP, SIMPLE), "plain"),
            "tool-calls", new Answer(new ChatResponse("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "gpt-4.1",
                    List.of(new Part.Reasoning("Need both files.", Optional.of("sig")), new Part.Text("Reading."),
                            new Part.ToolCall("call_1", "read_file", "{\"path\":\"a.py\"}"),
                            new Part.ToolCall("call_2", "bash", "{\"cmd\":\"ls\"}")),
                    FinishReason.TOOL_CALLS, FINAL), "agent-turn"),
            "length", new Answer(new ChatResponse("gen-1", "gemini-2.5-pro",
                    List.of(new Part.Text("{\"name\":\"Science fa")), FinishReason.LENGTH, SIMPLE), "json-schema"),
            "content-filter", new Answer(new ChatResponse("msg_02", "claude-3-haiku", List.of(),
                    FinishReason.CONTENT_FILTER, Usage.NOT_REPORTED), "named-tool"));

    record Stream(List<StreamEvent> events, String request) {
    }

    static final Map<String, Stream> STREAMS = Map.of(
            "text", new Stream(List.of(
                    new StreamEvent.Start("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5"),
                    new StreamEvent.UsageUpdate(PROMPT),
                    new StreamEvent.TextDelta("Under a silver moon, "),
                    new StreamEvent.TextDelta(""),
                    new StreamEvent.TextDelta("a unicorn named Lumina… 🦄"),
                    new StreamEvent.Finish(FinishReason.STOP),
                    new StreamEvent.UsageUpdate(FINAL)), "plain"),
            "tool-calls", new Stream(List.of(
                    new StreamEvent.Start("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "gpt-4.1"),
                    new StreamEvent.ToolCallStart(0, "call_1", "read_file"),
                    new StreamEvent.ToolCallArgumentsDelta(0, "{\"path\":"),
                    new StreamEvent.ToolCallArgumentsDelta(0, "\"a.py\"}"),
                    new StreamEvent.ToolCallStart(1, "call_2", "bash"),
                    new StreamEvent.ToolCallArgumentsDelta(1, "{\"cmd\":\"ls\"}"),
                    new StreamEvent.Finish(FinishReason.TOOL_CALLS),
                    new StreamEvent.UsageUpdate(FINAL)), "agent-turn"),
            "reasoning-text", new Stream(List.of(
                    new StreamEvent.Start("gen-7", "gemini-2.5-pro"),
                    new StreamEvent.ReasoningDelta("The user wants "),
                    new StreamEvent.ReasoningDelta("a date."),
                    new StreamEvent.TextDelta("{\"date\":"),
                    new StreamEvent.TextDelta("\"Friday\"}"),
                    new StreamEvent.UsageUpdate(SIMPLE),
                    new StreamEvent.Finish(FinishReason.STOP)), "json-schema"),
            "length", new Stream(List.of(
                    new StreamEvent.Start("gen-1", "gemini-2.5-pro"),
                    new StreamEvent.TextDelta("{\"name\":\"Science fa"),
                    new StreamEvent.Finish(FinishReason.LENGTH),
                    new StreamEvent.UsageUpdate(SIMPLE)), "json-schema"),
            "failure", new Stream(List.of(
                    new StreamEvent.Start("msg_02", "claude-3-haiku"),
                    new StreamEvent.TextDelta("Hal"),
                    new StreamEvent.Failure(new ChatError(429, "rate_limit_error", "Rate limited, retry later")),
                    new StreamEvent.TextDelta("never sent"),
                    new StreamEvent.Finish(FinishReason.STOP)), "named-tool"));

    static byte[] encode(Answer answer) {
        return new ResponsesResponseEncoder(JSON).encode(answer.response(), CREATED_AT, echo(answer.request()));
    }

    static byte[] encode(Stream stream) {
        ResponsesStreamEncoder encoder = new ResponsesStreamEncoder(JSON, CREATED_AT, echo(stream.request()));
        var out = new java.io.ByteArrayOutputStream();
        stream.events().forEach(event -> out.writeBytes(encoder.encode(event)));
        out.writeBytes(encoder.end());
        return out.toByteArray();
    }
}
