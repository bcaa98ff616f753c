package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.ResponseFormat;
import io.bricksllm.dialect.Role;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.Streaming;
import io.bricksllm.dialect.UnsupportedByDialectException;
import io.bricksllm.dialect.anthropic.AnthropicRequestDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Canonical request → OpenAI {@code /chat/completions} body, compared with a golden body, field order included. */
class OpenAiRequestGoldenTest {

    private final OpenAiRequestEncoder encoder = new OpenAiRequestEncoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"text", "images", "tools-round-trip", "parallel-tool-calls", "named-tool-choice",
            "json-schema", "json-object", "reasoning-effort", "streaming", "streaming-with-usage"})
    void encodesTheCanonicalRequestAsTheGoldenBody(String name) throws Exception {
        ObjectNode body = encoder.encode(CanonicalRequests.named(name), CanonicalRequests.MODEL);

        assertGolden(body, json("openai/requests/" + name + ".json"));
    }

    /** A Messages API caller's agent turn (thinking, images, parallel tool use, tool results) reaching GPT. */
    @Test
    void encodesAnAnthropicCallersAgentTurn() throws Exception {
        ChatRequest request = new AnthropicRequestDecoder(JSON)
                .decode(json("anthropic/ingress/agent-turn.anthropic.json"));

        ObjectNode body = encoder.encode(request, "gpt-5");

        assertGolden(body, json("openai/requests/agent-turn.json"));
    }

    @Test
    void reasoningIsNotSentBackButTheTurnKeepsItsPlace() {
        ChatRequest request = CanonicalRequests.request(List.of(Message.text(Role.USER, "Hi"),
                        new Message(Role.ASSISTANT, List.of(new Part.Reasoning("thinking", Optional.empty()))),
                        Message.text(Role.USER, "Again")), List.of(), Optional.empty(), Optional.empty(),
                new ResponseFormat.Text(), Sampling.DEFAULTS, Optional.empty(), Streaming.OFF);

        JsonNode messages = encoder.encode(request, "m").get("messages");

        assertThat(messages).hasSize(3);
        assertThat(messages.get(1)).isEqualTo(JSON.createObjectNode().put("role", "assistant").put("content", ""));
        assertThat(messages.toString()).doesNotContain("thinking");
    }

    @Test
    void emptyArgumentsOfAnEarlierCallAreSentAsAnEmptyObject() {
        ChatRequest request = CanonicalRequests.request(List.of(Message.text(Role.USER, "Time?"),
                        new Message(Role.ASSISTANT, List.of(new Part.ToolCall("c", "now", "")))), List.of(),
                Optional.empty(), Optional.empty(), new ResponseFormat.Text(), Sampling.DEFAULTS, Optional.empty(),
                Streaming.OFF);

        JsonNode call = encoder.encode(request, "m").at("/messages/1/tool_calls/0");

        assertThat(call.at("/function/arguments").textValue()).isEqualTo("{}");
        assertThat(encoder.encode(request, "m").at("/messages/1/content").isNull()).isTrue();
    }

    @Test
    void systemPromptsWithImagesAreRefusedNamingTheMessage() {
        ChatRequest request = CanonicalRequests.request(List.of(new Message(Role.SYSTEM,
                        List.of(new Part.Image("https://example.com/a.png"))), Message.text(Role.USER, "Hi")),
                List.of(), Optional.empty(), Optional.empty(), new ResponseFormat.Text(), Sampling.DEFAULTS,
                Optional.empty(), Streaming.OFF);

        assertThatThrownBy(() -> encoder.encode(request, "m")).isInstanceOfSatisfying(
                UnsupportedByDialectException.class, e -> {
                    assertThat(e.field()).isEqualTo("messages[0].content");
                    assertThat(e.toChatError().status()).isEqualTo(400);
                });
    }

    @Test
    void toolCallsFromAUserAreRefused() {
        ChatRequest request = CanonicalRequests.request(List.of(new Message(Role.USER,
                        List.of(new Part.ToolCall("c", "f", "{}")))), List.of(), Optional.empty(), Optional.empty(),
                new ResponseFormat.Text(), Sampling.DEFAULTS, Optional.empty(), Streaming.OFF);

        assertThatThrownBy(() -> encoder.encode(request, "m")).isInstanceOfSatisfying(
                InvalidChatRequestException.class, e -> assertThat(e.field()).isEqualTo("messages[0].content"));
    }

    private static void assertGolden(ObjectNode body, JsonNode expected) throws Exception {
        assertThat(body).as(body.toPrettyString()).isEqualTo(expected);
        assertThat(fieldNames(body)).as("field order").isEqualTo(fieldNames(expected));
        // the official SDK's wire types accept the body as a valid chat completions request
        ObjectMappers.jsonMapper().readValue(JSON.writeValueAsBytes(body), ChatCompletionCreateParams.Body.class)
                .validate();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
