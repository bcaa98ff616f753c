package io.bricksllm.dialect.anthropic;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.SseEventSplitter;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Canonical stream events → Anthropic Messages SSE for {@code /v1/messages} callers (issue 18 item 3): the golden
 * transcript, the anthropic-java SDK's own accumulator rebuilding a valid message from it, and the existing
 * {@link AnthropicStreamDecoder} reading the bytes — whole, split at every offset, byte by byte — back into the
 * events that went in.
 */
class AnthropicStreamEncoderTest {

    private static final Usage PROMPT = new Usage(OptionalLong.of(2310), OptionalLong.empty(), OptionalLong.of(2000),
            OptionalLong.of(300), OptionalLong.empty());
    private static final Usage FINAL = new Usage(OptionalLong.of(2310), OptionalLong.of(57), OptionalLong.of(2000),
            OptionalLong.of(300), OptionalLong.empty());

    /** An agent's turn: thinking, text (multi-byte, to split inside characters), two parallel tool calls. */
    static final List<StreamEvent> AGENT_TURN = List.of(
            new StreamEvent.Start("msg_01abc", "gpt-5"),
            new StreamEvent.UsageUpdate(PROMPT),
            new StreamEvent.ReasoningDelta("Need both "),
            new StreamEvent.ReasoningDelta("files."),
            new StreamEvent.TextDelta("Lecture des fichiers… "),
            new StreamEvent.TextDelta("🚀"),
            new StreamEvent.ToolCallStart(0, "call_1", "read_file"),
            new StreamEvent.ToolCallArgumentsDelta(0, "{\"path\":"),
            new StreamEvent.ToolCallArgumentsDelta(0, "\"a.py\"}"),
            new StreamEvent.ToolCallStart(1, "call_2", "bash"),
            new StreamEvent.ToolCallArgumentsDelta(1, "{\"cmd\":\"ls\"}"),
            new StreamEvent.Finish(FinishReason.TOOL_CALLS),
            new StreamEvent.UsageUpdate(FINAL));

    static final List<StreamEvent> CUT = List.of(
            new StreamEvent.Start("msg_02", "gemini-2.5-pro"),
            new StreamEvent.TextDelta("Hal"),
            new StreamEvent.Failure(new ChatError(529, "overloaded_error", "Overloaded")),
            new StreamEvent.TextDelta("never sent"));

    private static byte[] encode(List<StreamEvent> events) {
        AnthropicStreamEncoder encoder = new AnthropicStreamEncoder(JSON);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        events.forEach(event -> out.writeBytes(encoder.encode(event)));
        out.writeBytes(encoder.end());
        return out.toByteArray();
    }

    @Test
    void encodesTheGoldenTranscript() {
        assertThat(new String(encode(AGENT_TURN), StandardCharsets.UTF_8))
                .isEqualTo(new String(bytes("anthropic/ingress/stream-agent-turn.anthropic.sse"), StandardCharsets.UTF_8));
        assertThat(new String(encode(CUT), StandardCharsets.UTF_8))
                .isEqualTo(new String(bytes("anthropic/ingress/stream-cut.anthropic.sse"), StandardCharsets.UTF_8));
    }

    @Test
    void theSdksAccumulatorRebuildsAValidMessage() throws Exception {
        MessageAccumulator accumulator = MessageAccumulator.create();
        new SseEventSplitter((event, data) -> {
            try {
                RawMessageStreamEvent parsed = ObjectMappers.jsonMapper().readValue(data, RawMessageStreamEvent.class);
                parsed.validate();
                accumulator.accumulate(parsed);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).feedSplitAt(encode(AGENT_TURN), List.of());

        Message message = accumulator.message();
        message.validate();
        assertThat(message.id()).isEqualTo("msg_01abc");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.usage().inputTokens()).isEqualTo(10);
        assertThat(message.usage().outputTokens()).isEqualTo(57);
        assertThat(message.usage().cacheReadInputTokens()).contains(2000L);
        assertThat(message.usage().cacheCreationInputTokens()).contains(300L);
        List<ContentBlock> content = message.content();
        assertThat(content).hasSize(4);
        assertThat(content.get(0).asThinking().thinking()).isEqualTo("Need both files.");
        assertThat(content.get(1).asText().text()).isEqualTo("Lecture des fichiers… 🚀");
        assertThat(content.get(2).asToolUse().id()).isEqualTo("call_1");
        assertThat(JSON.readTree(ObjectMappers.jsonMapper().writeValueAsString(content.get(2).asToolUse()._input())))
                .isEqualTo(JSON.readTree("{\"path\":\"a.py\"}"));
        assertThat(content.get(3).asToolUse().name()).isEqualTo("bash");
    }

    @Test
    void theAnthropicDecoderGivesBackTheSameEventsAtEverySplit() {
        for (List<StreamEvent> events : List.of(AGENT_TURN, CUT)) {
            byte[] sse = encode(events);
            List<StreamEvent> expected = expected(events);
            assertThat(decode(sse, List.of())).isEqualTo(expected);
            for (int split = 0; split <= sse.length; split++) {
                assertThat(decode(sse, List.of(split))).as("split at %d", split).isEqualTo(expected);
            }
            assertThat(decode(sse, IntStream.range(1, sse.length).boxed().toList())).as("byte by byte")
                    .isEqualTo(expected);
        }
    }

    /**
     * What goes in, as Anthropic's decoder reports it: nothing after a failure; {@code message_start} always
     * carries both token counts (the SDK requires them), so the prompt's usage comes back with output 0.
     */
    private static List<StreamEvent> expected(List<StreamEvent> events) {
        List<StreamEvent> out = new ArrayList<>();
        for (StreamEvent event : events) {
            out.add(event == AGENT_TURN.get(1) ? new StreamEvent.UsageUpdate(new Usage(PROMPT.input(),
                    OptionalLong.of(0), PROMPT.cacheRead(), PROMPT.cacheWrite(), OptionalLong.empty())) : event);
            if (event instanceof StreamEvent.Start && events == CUT) {
                out.add(new StreamEvent.UsageUpdate(new Usage(OptionalLong.of(0), OptionalLong.of(0),
                        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty())));
            }
            if (event instanceof StreamEvent.Failure) {
                break;
            }
        }
        return out;
    }

    private static List<StreamEvent> decode(byte[] sse, List<Integer> splits) {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(JSON, java.util.Optional.empty());
        List<StreamEvent> out = new ArrayList<>();
        new SseEventSplitter((event, data) -> out.addAll(decoder.decode(event, data))).feedSplitAt(sse, splits);
        return out;
    }
}
