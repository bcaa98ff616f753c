package io.bricksllm.dialect.responses;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.SseEventSplitter;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Canonical stream events → Responses API SSE: the golden transcripts; every event parsed by openai-java's
 * {@link ResponseStreamEvent} and validated, whole and split at every byte offset; the SDK's own accumulator
 * rebuilding the answer; and a streamed answer ending in the same output items as the same answer unstreamed.
 */
class ResponsesStreamEncoderTest {

    private static String transcript(String name) {
        return new String(ResponsesCases.encode(ResponsesCases.STREAMS.get(name)), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-calls", "reasoning-text", "length", "failure"})
    void encodesTheGoldenTranscript(String name) {
        assertThat(transcript(name)).isEqualTo(new String(bytes("responses/streams/" + name + ".responses.sse"),
                StandardCharsets.UTF_8));
    }

    /** Every event is a {@link ResponseStreamEvent} the SDK validates, named as its type, numbered 0, 1, 2, … */
    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-calls", "reasoning-text", "length", "failure"})
    void theSdkParsesEveryEventAtEverySplit(String name) throws Exception {
        byte[] stream = ResponsesCases.encode(ResponsesCases.STREAMS.get(name));
        List<Frame> whole = events(stream, List.of());
        for (int split = 0; split <= stream.length; split++) {
            assertThat(events(stream, List.of(split))).as("split at %d", split).isEqualTo(whole);
        }
        for (int i = 0; i < whole.size(); i++) {
            String event = whole.get(i).event();
            JsonNode data = parse(whole.get(i).data().getBytes(StandardCharsets.UTF_8));
            assertThat(data.path("type").asText()).isEqualTo(event);
            assertThat(data.path("sequence_number").asInt()).isEqualTo(i);
            ResponseStreamEvent parsed = ObjectMappers.jsonMapper().readValue(whole.get(i).data(), ResponseStreamEvent.class);
            parsed.validate();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-calls", "reasoning-text", "length"})
    void theSdksAccumulatorRebuildsTheAnswer(String name) throws Exception {
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        for (Frame event : events(ResponsesCases.encode(ResponsesCases.STREAMS.get(name)), List.of())) {
            accumulator.accumulate(ObjectMappers.jsonMapper().readValue(event.data(), ResponseStreamEvent.class));
        }
        Response response = accumulator.response().validate();

        switch (name) {
            case "text" -> assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text())
                    .isEqualTo("Under a silver moon, a unicorn named Lumina… 🦄");
            case "tool-calls" -> {
                assertThat(response.output()).hasSize(2);
                assertThat(response.output().get(0).asFunctionCall().arguments()).isEqualTo("{\"path\":\"a.py\"}");
                assertThat(response.output().get(1).asFunctionCall().name()).isEqualTo("bash");
                assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(2310);
                assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(57);
            }
            case "reasoning-text" -> {
                assertThat(response.output().get(0).asReasoning().summary().get(0).text())
                        .isEqualTo("The user wants a date.");
                assertThat(response.output().get(1).asMessage().content().get(0).asOutputText().text())
                        .isEqualTo("{\"date\":\"Friday\"}");
            }
            default -> {
                assertThat(response.status()).contains(ResponseStatus.INCOMPLETE);
                assertThat(response.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
                        .isEqualTo("max_output_tokens");
            }
        }
    }

    /**
     * The final event's response is, field for field, what {@link ResponsesResponseEncoder} writes for the same
     * answer unstreamed (the events gathered into parts in order): same ids, items, status, reason and usage.
     */
    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-calls", "reasoning-text", "length"})
    void aStreamedAnswerEndsInTheSameResponseAsTheWholeAnswer(String name) {
        ResponsesCases.Stream stream = ResponsesCases.STREAMS.get(name);
        List<Frame> events = events(ResponsesCases.encode(stream), List.of());
        JsonNode streamed = parse(events.getLast().data().getBytes(StandardCharsets.UTF_8)).path("response");

        JsonNode whole = parse(ResponsesCases.encode(new ResponsesCases.Answer(gathered(stream.events()),
                stream.request())));
        assertThat(streamed).as(streamed.toPrettyString()).isEqualTo(whole);
    }

    /** A canonical stream gathered into the answer it streams: parts in the order they start. */
    private static ChatResponse gathered(List<StreamEvent> events) {
        List<Part> parts = new ArrayList<>();
        Map<Integer, Integer> calls = new HashMap<>();
        String id = "";
        String model = "";
        FinishReason finish = FinishReason.STOP;
        Usage usage = Usage.NOT_REPORTED;
        for (StreamEvent event : events) {
            switch (event) {
                case StreamEvent.Start start -> {
                    id = start.id();
                    model = start.model();
                }
                case StreamEvent.TextDelta text when text.text().isEmpty() -> { }
                case StreamEvent.TextDelta text -> {
                    if (!parts.isEmpty() && parts.getLast() instanceof Part.Text(String before)) {
                        parts.set(parts.size() - 1, new Part.Text(before + text.text()));
                    } else {
                        parts.add(new Part.Text(text.text()));
                    }
                }
                case StreamEvent.ReasoningDelta reasoning -> {
                    if (!parts.isEmpty() && parts.getLast() instanceof Part.Reasoning(String before, var signature)) {
                        parts.set(parts.size() - 1, new Part.Reasoning(before + reasoning.text(), signature));
                    } else {
                        parts.add(new Part.Reasoning(reasoning.text(), Optional.empty()));
                    }
                }
                case StreamEvent.ToolCallStart call -> {
                    calls.put(call.index(), parts.size());
                    parts.add(new Part.ToolCall(call.id(), call.name(), ""));
                }
                case StreamEvent.ToolCallArgumentsDelta arguments -> {
                    int at = calls.get(arguments.index());
                    Part.ToolCall call = (Part.ToolCall) parts.get(at);
                    parts.set(at, new Part.ToolCall(call.id(), call.name(), call.argumentsJson() + arguments.text()));
                }
                case StreamEvent.Finish end -> finish = end.reason();
                case StreamEvent.UsageUpdate update -> usage = usage.updatedBy(update.usage());
                case StreamEvent.Failure failure -> throw new IllegalArgumentException("not a whole answer");
            }
        }
        return new ChatResponse(id, model, parts, finish, usage);
    }

    @Test
    void aFailureIsTheLastEventAndCarriesTheError() {
        List<Frame> events = events(ResponsesCases.encode(ResponsesCases.STREAMS.get("failure")), List.of());

        assertThat(events.getLast().event()).isEqualTo("response.failed");
        assertThat(events.stream().map(e -> e.event())).doesNotContain("response.output_text.done", "response.completed");
        JsonNode response = parse(events.getLast().data().getBytes(StandardCharsets.UTF_8)).path("response");
        assertThat(response.path("status").asText()).isEqualTo("failed");
        assertThat(response.path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(response.path("error").path("message").asText()).isEqualTo("Rate limited, retry later");
        assertThat(response.path("output").get(0).path("content").get(0).path("text").asText()).isEqualTo("Hal");
        assertThat(response.path("output").get(0).path("status").asText()).isEqualTo("incomplete");
    }

    @Test
    void anEmptyStreamStillStartsAndCompletes() {
        ResponsesStreamEncoder encoder = new ResponsesStreamEncoder(JSON, 1L, ResponsesCases.echo("plain"));
        String out = new String(encoder.end(), StandardCharsets.UTF_8);

        assertThat(events(out.getBytes(StandardCharsets.UTF_8), List.of()).stream().map(e -> e.event()))
                .containsExactly("response.created", "response.in_progress", "response.completed");
    }

    @Test
    void argumentsOfAClosedCallAreNotSent() {
        ResponsesStreamEncoder encoder = new ResponsesStreamEncoder(JSON, 1L, ResponsesCases.echo("plain"));
        encoder.encode(new StreamEvent.Start("x", "m"));
        encoder.encode(new StreamEvent.ToolCallStart(0, "c0", "f"));
        encoder.encode(new StreamEvent.ToolCallStart(1, "c1", "g"));

        assertThat(encoder.encode(new StreamEvent.ToolCallArgumentsDelta(0, "{}"))).isEmpty();
        assertThat(encoder.encode(new StreamEvent.ToolCallArgumentsDelta(5, "{}"))).isEmpty();
    }

    /** The gateway's own meter for Responses streams reads the translated stream: its usage, model and text. */
    @Test
    void theGatewaysResponsesMeterReadsTheEncodedStream() {
        io.bricksllm.metering.ResponsesStreamObserver observer = new io.bricksllm.metering.ResponsesStreamObserver();
        events(ResponsesCases.encode(ResponsesCases.STREAMS.get("text")), List.of())
                .forEach(frame -> observer.onEvent(frame.event(), frame.data()));

        assertThat(observer.usage()).contains(new io.bricksllm.metering.Usage(2310, 57, 2000, 0, 12));
        assertThat(observer.model()).contains("claude-sonnet-4-5");
        assertThat(observer.text()).isEqualTo("Under a silver moon, a unicorn named Lumina… 🦄");
    }

    /** (event name, data) pairs of an SSE transcript fed in pieces cut at {@code splits}. */
    private static List<Frame> events(byte[] stream, List<Integer> splits) {
        List<Frame> events = new ArrayList<>();
        new SseEventSplitter((event, data) -> events.add(new Frame(event, data))).feedSplitAt(stream, splits);
        return events;
    }

    private record Frame(String event, String data) {
    }
}
