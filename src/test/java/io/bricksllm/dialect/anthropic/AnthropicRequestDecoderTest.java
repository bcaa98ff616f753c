package io.bricksllm.dialect.anthropic;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.DialectException;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.ReasoningEffort;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Role;
import io.bricksllm.dialect.ToolChoice;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Anthropic Messages requests as the caller's dialect (issue 18, {@code /v1/messages}) → canonical. */
class AnthropicRequestDecoderTest {

    private final AnthropicRequestDecoder decoder = new AnthropicRequestDecoder(JSON);
    private final AnthropicRequestEncoder encoder = new AnthropicRequestEncoder(JSON, 4096);

    private ChatRequest decode(String body) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAnAgentTurnWithEveryBlockKind() {
        ChatRequest request = decoder.decode(json("anthropic/ingress/agent-turn.anthropic.json"));

        assertThat(request.model()).isEqualTo("openai/gpt-5");
        assertThat(request.user()).contains("dev-7");
        assertThat(request.streaming().stream()).isTrue();
        assertThat(request.streaming().includeUsage()).isTrue();
        assertThat(request.sampling().maxOutputTokens().getAsInt()).isEqualTo(16000);
        assertThat(request.sampling().stop()).containsExactly("</done>");
        assertThat(request.sampling().reasoningEffort()).contains(ReasoningEffort.HIGH);
        assertThat(request.sampling().temperature()).isEmpty();
        assertThat(request.toolChoice()).contains(new ToolChoice.Auto());
        assertThat(request.parallelToolCalls()).contains(true);
        assertThat(request.responseFormat()).isEqualTo(new ResponseFormat.Text());
        assertThat(request.tools()).hasSize(2);
        assertThat(request.tools().get(0).name()).isEqualTo("read_file");
        assertThat(request.tools().get(0).description()).contains("Reads a file");
        assertThat(request.tools().get(0).parameters().path("required").get(0).asText()).isEqualTo("path");
        assertThat(request.tools().get(1).description()).isEmpty();
        assertThat(request.messages()).containsExactly(
                new Message(Role.SYSTEM, java.util.List.of(new Part.Text("You are a coding agent."),
                        new Part.Text("Use tools."))),
                new Message(Role.USER, java.util.List.of(new Part.Text("Fix the bug shown here"),
                        new Part.Image("data:image/png;base64,iVBORw0KGgo="),
                        new Part.Image("https://example.com/trace.png"))),
                new Message(Role.ASSISTANT, java.util.List.of(
                        new Part.Reasoning("Read both files first.", Optional.of("EqQBCkYIBxgCKkA=")),
                        new Part.Text("Reading."),
                        new Part.ToolCall("toolu_1", "read_file", "{\"path\":\"a.py\"}"),
                        new Part.ToolCall("toolu_2", "bash", "{\"cmd\":\"cat b.py\",\"timeout\":5}"))),
                new Message(Role.TOOL, java.util.List.of(new Part.ToolResult("toolu_1", "line 1\nline 2"))),
                new Message(Role.TOOL, java.util.List.of(new Part.ToolResult("toolu_2", "cat: b.py: No such file"))),
                Message.text(Role.USER, "Go on."),
                Message.text(Role.ASSISTANT, "Done."));
    }

    /**
     * The existing encoder's golden Messages bodies, read as a caller's request and encoded again, come back
     * unchanged: decoder and encoder agree on every field both carry.
     */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "system-and-sampling", "multi-turn-merge", "tools-round-trip", "legacy-functions",
            "images", "json-schema", "reasoning-effort"})
    void theEncodersGoldenBodiesRoundTrip(String name) {
        var body = json("anthropic/requests/" + name + ".anthropic.json");
        ChatRequest request = decoder.decode(body);

        AnthropicCall call = encoder.encode(request, request.model());

        assertThat(call.body()).as(call.body().toPrettyString()).isEqualTo(body);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "none|{\"type\":\"none\"}",
            "any|{\"type\":\"any\"}",
            "auto|{\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
            "tool|{\"type\":\"tool\",\"name\":\"f\"}"})
    void readsEveryToolChoice(String kind, String choice) {
        ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"tool_choice\":" + choice
                + ",\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}]}");

        ToolChoice expected = switch (kind) {
            case "none" -> new ToolChoice.None();
            case "any" -> new ToolChoice.Required();
            case "auto" -> new ToolChoice.Auto();
            default -> new ToolChoice.Named("f");
        };
        assertThat(request.toolChoice()).contains(expected);
        assertThat(request.parallelToolCalls()).isEqualTo(kind.equals("auto") ? Optional.of(false) : Optional.empty());
    }

    @ParameterizedTest
    @CsvSource({"1024,LOW", "2000,MEDIUM", "4096,MEDIUM", "16384,HIGH", "32000,HIGH"})
    void aThinkingBudgetIsTheSmallestEffortThatCoversIt(int budget, ReasoningEffort effort) {
        ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":64000,\"messages\":[],"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":" + budget + "}}");

        assertThat(request.sampling().reasoningEffort()).contains(effort);
    }

    /** Newer SDKs send model-chosen thinking modes first (anthropic-java 3.14 has adaptive and between_tools). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"adaptive", "between_tools", "some_future_mode"})
    void thinkingModesWithoutABudgetAskForNoEffortInsteadOfFailing(String type) {
        ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":64,\"messages\":[],\"thinking\":{\"type\":\"" + type + "\"}}");

        assertThat(request.sampling().reasoningEffort()).isEmpty();
    }

    @Test
    void aThinkingObjectWithoutATypeIsRefusedNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decode("{\"model\":\"m\",\"messages\":[],\"thinking\":{}}"))
                .isInstanceOf(io.bricksllm.dialect.InvalidChatRequestException.class).hasMessageContaining("thinking.type");
    }

    /** What {@link AnthropicResponseEncoder} writes for another provider's reasoning comes back unsigned. */
    @Test
    void anEmptySignatureIsNoSignature() {
        ChatRequest request = decode("""
                {"model":"m","messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":""}]}]}""");

        assertThat(request.messages()).containsExactly(new Message(Role.ASSISTANT,
                java.util.List.of(new Part.Reasoning("t", Optional.empty()))));
    }

    @Test
    void disabledThinkingAndAStringSystemPrompt() {
        ChatRequest request = decode("""
                {"model":"m","system":"Be brief.","thinking":{"type":"disabled"},"stream":false,
                 "messages":[{"role":"user","content":"hi"}]}""");

        assertThat(request.sampling().reasoningEffort()).isEmpty();
        assertThat(request.sampling().maxOutputTokens()).isEmpty();
        assertThat(request.streaming().stream()).isFalse();
        assertThat(request.messages()).containsExactly(Message.text(Role.SYSTEM, "Be brief."),
                Message.text(Role.USER, "hi"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\"}|messages",
            "{\"messages\":[]}|model",
            "[1]|body",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}|messages[0].role",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]}|messages[1].content[0].type",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"no type\"}]}]}|messages[0].content[0].type",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}|messages[0].content[0].text",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":7}]}|messages[0].content",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{}}]}]}|messages[0].content[0].type",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":\"{}\"}]}]}|messages[0].content[0].input",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"content\":\"x\"}]}]}|messages[0].content[0].tool_use_id",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"ftp\"}}]}]}|messages[0].content[0].source.type",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"x\"}}]}]}|messages[0].content[0].source.media_type",
            "{\"model\":\"m\",\"messages\":[],\"system\":[{\"type\":\"image\"}]}|system[0].type",
            "{\"model\":\"m\",\"messages\":[],\"max_tokens\":0}|max_tokens",
            "{\"model\":\"m\",\"messages\":[],\"temperature\":\"hot\"}|temperature",
            "{\"model\":\"m\",\"messages\":[],\"stop_sequences\":\"END\"}|stop_sequences",
            "{\"model\":\"m\",\"messages\":[],\"tool_choice\":{\"type\":\"maybe\"}}|tool_choice.type",
            "{\"model\":\"m\",\"messages\":[],\"tool_choice\":{\"type\":\"tool\"}}|tool_choice.name",
            "{\"model\":\"m\",\"messages\":[],\"tools\":[{\"name\":\"f\"}]}|tools[0].input_schema",
            "{\"model\":\"m\",\"messages\":[],\"thinking\":{\"type\":\"enabled\"}}|thinking.budget_tokens",
            "{\"model\":\"m\",\"messages\":[],\"metadata\":{\"user_id\":5}}|metadata.user_id",
            "{\"model\":\"m\",\"messages\":[],\"stream\":\"yes\"}|stream"})
    void malformedInputNamesTheField(String body, String field) {
        assertThatThrownBy(() -> decode(body)).isInstanceOfSatisfying(InvalidChatRequestException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{}}]}]}|messages[0].content[0].type",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"image\",\"source\":{}}]}]}]}|messages[0].content[0].content[0].type",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"f\"}}]}]}|messages[0].content[0].source.type",
            "{\"model\":\"m\",\"messages\":[],\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}|tools[0].type"})
    void whatTheCanonicalModelCannotCarryIsRefusedNamingTheField(String body, String field) {
        assertThatThrownBy(() -> decode(body)).isInstanceOfSatisfying(UnsupportedByDialectException.class,
                e -> assertThat(((DialectException) e).field()).isEqualTo(field));
    }
}
