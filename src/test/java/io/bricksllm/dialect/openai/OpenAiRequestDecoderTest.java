package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.ReasoningEffort;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Role;
import io.bricksllm.dialect.ToolChoice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiRequestDecoderTest {

    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder(JSON);

    private ChatRequest decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryCanonicalField() {
        ChatRequest request = decode("""
                {"model":"anthropic/claude-sonnet-4-5","user":"u1","reasoning_effort":"high","n":1,"temperature":0,"top_p":1,
                 "max_tokens":64,"stop":["a","b"],"parallel_tool_calls":true,"stream":true,
                 "stream_options":{"include_usage":true},"tool_choice":"required",
                 "response_format":{"type":"json_schema","json_schema":{"name":"p","strict":true,"schema":{"type":"object"}}},
                 "tools":[{"type":"function","function":{"name":"f","description":"d","strict":true,"parameters":{"type":"object"}}}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"Look"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},
                   {"role":"assistant","reasoning_content":"hm","content":"ok","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                   {"role":"tool","tool_call_id":"c1","content":"done"}]}""");

        assertThat(request.model()).isEqualTo("anthropic/claude-sonnet-4-5");
        assertThat(request.user()).contains("u1");
        assertThat(request.sampling().n().getAsInt()).isEqualTo(1);
        assertThat(request.sampling().temperature().getAsDouble()).isZero();
        assertThat(request.sampling().topP().getAsDouble()).isEqualTo(1.0);
        assertThat(request.sampling().maxOutputTokens().getAsInt()).isEqualTo(64);
        assertThat(request.sampling().stop()).containsExactly("a", "b");
        assertThat(request.sampling().reasoningEffort()).contains(ReasoningEffort.HIGH);
        assertThat(request.parallelToolCalls()).contains(true);
        assertThat(request.streaming().stream()).isTrue();
        assertThat(request.streaming().includeUsage()).isTrue();
        assertThat(request.toolChoice()).contains(new ToolChoice.Required());
        assertThat(request.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class,
                schema -> assertThat(schema.strict()).isTrue());
        assertThat(request.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.description()).contains("d");
            assertThat(tool.strict()).isTrue();
        });
        assertThat(request.messages()).containsExactly(
                new Message(Role.USER, List.of(new Part.Text("Look"), new Part.Image("https://x/y.png"))),
                new Message(Role.ASSISTANT, List.of(new Part.Reasoning("hm", Optional.empty()), new Part.Text("ok"),
                        new Part.ToolCall("c1", "f", "{}"))),
                new Message(Role.TOOL, List.of(new Part.ToolResult("c1", "done"))));
    }

    @Test
    void unsetControlsStayUnsetRatherThanDefaulted() {
        ChatRequest request = decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(request.sampling().maxOutputTokens()).isEmpty();
        assertThat(request.sampling().temperature()).isEmpty();
        assertThat(request.sampling().n()).isEmpty();
        assertThat(request.sampling().reasoningEffort()).isEmpty();
        assertThat(request.toolChoice()).isEmpty();
        assertThat(request.parallelToolCalls()).isEmpty();
        assertThat(request.responseFormat()).isEqualTo(new ResponseFormat.Text());
    }

    @Test
    void maxCompletionTokensWinsOverTheDeprecatedMaxTokens() {
        ChatRequest request = decode("""
                {"model":"m","max_tokens":5,"max_completion_tokens":9,"messages":[{"role":"user","content":"Hi"}]}""");
        assertThat(request.sampling().maxOutputTokens().getAsInt()).isEqualTo(9);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|model",
        "{\"model\":\"m\",\"messages\":[]}|messages",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"Hi\"}]}|messages[0].role",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}|messages[0].content",
        "{\"model\":\"m\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|temperature",
        "{\"model\":\"m\",\"n\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|n",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}|messages[0].tool_call_id",
        "{\"model\":\"m\",\"tool_choice\":\"maybe\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|tool_choice",
        "{\"model\":\"m\",\"response_format\":{\"type\":\"yaml\"},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|response_format.type",
        "{\"model\":\"m\",\"reasoning_effort\":\"extreme\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|reasoning_effort",
        "[1,2]|body",
        "{not json|body"})
    void aMalformedRequestIsABadRequestNamingTheField(String json, String field) {
        assertThatThrownBy(() -> decode(json)).isInstanceOfSatisfying(InvalidChatRequestException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.toChatError().status()).isEqualTo(400);
        });
    }

    @Test
    void aPartOnlyOpenAiTakesIsRefusedNamingTheFieldAndThenTheProvider() {
        assertThatThrownBy(() -> decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\","
                + "\"input_audio\":{}}]}]}")).isInstanceOfSatisfying(io.bricksllm.dialect.UnsupportedByDialectException.class, e -> {
            assertThat(e.field()).isEqualTo("messages[0].content[0].type");
            assertThat(e.forProvider("bedrock").getMessage()).contains("messages[0].content[0].type").contains("bedrock");
            assertThat(e.toChatError().status()).isEqualTo(400);
        });
    }
}
