package io.bricksllm.dialect.anthropic;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.json;
import static io.bricksllm.dialect.DialectFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.StopReason;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.Usage;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Canonical answers as Anthropic Messages JSON for {@code /v1/messages} callers (issue 18 item 3). */
class AnthropicResponseEncoderTest {

    private final AnthropicResponseEncoder encoder = new AnthropicResponseEncoder(JSON);

    static final ChatResponse TOOL_USE = new ChatResponse("chatcmpl-abc", "gpt-5", List.of(
            new Part.Text("Reading both."),
            new Part.ToolCall("call_1", "read_file", "{\"path\":\"a.py\"}"),
            new Part.ToolCall("call_2", "bash", "")),
            FinishReason.TOOL_CALLS, usage(2000, 40, 800, null));

    static final ChatResponse THINKING_CACHED = new ChatResponse("msg_01XYZ", "claude-sonnet-4-5", List.of(
            new Part.Reasoning("Two plus two.", Optional.of("EqQBCkYIBxgCKkA=")), new Part.Text("4")),
            FinishReason.STOP, usage(2310, 25, 2000, 300L));

    static final ChatResponse LENGTH_UNSIGNED = new ChatResponse("gen-1", "gemini-2.5-pro", List.of(
            new Part.Reasoning("Gemini's thought summary", Optional.empty()), new Part.Text("Once upon")),
            FinishReason.LENGTH, Usage.NOT_REPORTED);

    private static Usage usage(long input, long output, long cacheRead, Long cacheWrite) {
        return new Usage(OptionalLong.of(input), OptionalLong.of(output), OptionalLong.of(cacheRead),
                cacheWrite == null ? OptionalLong.empty() : OptionalLong.of(cacheWrite), OptionalLong.empty());
    }

    @ParameterizedTest
    @CsvSource({"response-tool-use", "response-thinking-cached", "response-length-unsigned"})
    void encodesTheGoldenMessageThatTheSdkAccepts(String name) throws Exception {
        ChatResponse response = switch (name) {
            case "response-tool-use" -> TOOL_USE;
            case "response-thinking-cached" -> THINKING_CACHED;
            default -> LENGTH_UNSIGNED;
        };

        byte[] out = encoder.encode(response);

        assertThat(parse(out)).as(new String(out)).isEqualTo(json("anthropic/ingress/" + name + ".anthropic.json"));
        Message message = ObjectMappers.jsonMapper().readValue(out, Message.class);
        message.validate();
        assertThat(message.content()).hasSize(response.parts().size());
    }

    /** Anthropic's own decoder reads back exactly what went in, usage split and summed again included. */
    @Test
    void theAnthropicDecoderReadsTheAnswerBackUnchanged() {
        for (ChatResponse response : List.of(THINKING_CACHED, TOOL_USE)) {
            ChatResponse back = new AnthropicResponseDecoder(JSON).decode(encoder.encode(response), Optional.empty());

            String id = response.id().startsWith("msg_") ? response.id() : "msg_" + response.id();
            List<Part> parts = response.parts().stream().map(part -> part instanceof Part.ToolCall call
                    && call.argumentsJson().isEmpty() ? new Part.ToolCall(call.id(), call.name(), "{}") : part).toList();
            assertThat(back).isEqualTo(new ChatResponse(id, response.model(), parts, response.finishReason(),
                    response.usage()));
        }
    }

    @ParameterizedTest
    @CsvSource({"STOP,end_turn", "LENGTH,max_tokens", "TOOL_CALLS,tool_use", "CONTENT_FILTER,refusal"})
    void everyFinishReasonIsADocumentedStopReason(FinishReason reason, String stopReason) throws Exception {
        byte[] out = encoder.encode(new ChatResponse("msg_1", "m", List.of(new Part.Text("x")), reason,
                Usage.NOT_REPORTED));

        assertThat(parse(out).path("stop_reason").asText()).isEqualTo(stopReason);
        Message message = ObjectMappers.jsonMapper().readValue(out, Message.class);
        assertThat(message.stopReason()).hasValueSatisfying(r -> assertThat(r.known()).isNotNull());
        assertThat(message.stopReason()).contains(StopReason.of(stopReason));
    }

    @Test
    void argumentsThatAreNotAnObjectAreTheUpstreamsFault() {
        ChatResponse response = new ChatResponse("msg_1", "m", List.of(new Part.ToolCall("c", "f", "[1]")),
                FinishReason.TOOL_CALLS, Usage.NOT_REPORTED);

        assertThatThrownBy(() -> encoder.encode(response)).isInstanceOf(MalformedUpstreamException.class);
    }
}
