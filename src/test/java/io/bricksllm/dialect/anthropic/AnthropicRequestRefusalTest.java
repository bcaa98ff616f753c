package io.bricksllm.dialect.anthropic;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.DialectFixtures;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.Role;
import io.bricksllm.dialect.UnsupportedByDialectException;
import io.bricksllm.dialect.openai.OpenAiRequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What Anthropic cannot express is refused, naming the field and the provider; choices it can are mapped. */
class AnthropicRequestRefusalTest {

    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder(JSON);
    private final AnthropicRequestEncoder encoder = new AnthropicRequestEncoder(JSON, 1024);

    private JsonNode encode(String openAiJson) {
        ChatRequest request = decoder.decode(openAiJson.getBytes(StandardCharsets.UTF_8));
        return encoder.encode(request, "claude-haiku-4-5").body();
    }

    @Test
    void moreThanOneChoiceIsRefusedNamingNAndAnthropic() {
        assertThatThrownBy(() -> encode("""
                {"model":"anthropic/claude-haiku-4-5","n":2,"messages":[{"role":"user","content":"Hi"}]}"""))
                .isInstanceOfSatisfying(UnsupportedByDialectException.class, e -> {
                    assertThat(e.field()).isEqualTo("n");
                    assertThat(e.provider()).isEqualTo("anthropic");
                    assertThat(e.toChatError().status()).isEqualTo(400);
                    assertThat(e.toChatError().type()).isEqualTo("invalid_request_error");
                    assertThat(e.getMessage()).contains("'n'").contains("anthropic");
                });
    }

    @Test
    void aTemperatureAboveAnthropicsRangeIsRefusedRatherThanSent() {
        assertThatThrownBy(() -> encode("""
                {"model":"m","temperature":1.5,"messages":[{"role":"user","content":"Hi"}]}"""))
                .isInstanceOfSatisfying(UnsupportedByDialectException.class,
                        e -> assertThat(e.field()).isEqualTo("temperature"));
    }

    @Test
    void anImageTypeAnthropicCannotReadIsRefused() {
        assertThatThrownBy(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"image_url",
                 "image_url":{"url":"data:image/bmp;base64,Qk0="}}]}]}"""))
                .isInstanceOfSatisfying(UnsupportedByDialectException.class,
                        e -> assertThat(e.getMessage()).contains("image/bmp").contains("anthropic"));
    }

    @Test
    void aCallersOutputCapBoundsTheThinkingBudget() {
        JsonNode body = encode("""
                {"model":"m","reasoning_effort":"high","max_completion_tokens":2000,
                 "messages":[{"role":"user","content":"Hi"}]}""");
        assertThat(body.get("max_tokens").intValue()).isEqualTo(2000);
        assertThat(body.at("/thinking/budget_tokens").intValue()).isEqualTo(1999);
    }

    @Test
    void minimalEffortAsksForNoThinking() {
        JsonNode body = encode("""
                {"model":"m","reasoning_effort":"minimal","messages":[{"role":"user","content":"Hi"}]}""");
        assertThat(body.has("thinking")).isFalse();
        assertThat(body.get("max_tokens").intValue()).isEqualTo(1024);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"temperature\":0.5|temperature",
        "\"top_p\":0.5|top_p",
        "\"max_completion_tokens\":1000|reasoning_effort",
        "\"tool_choice\":\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]|tool_choice",
        "\"response_format\":{\"type\":\"json_object\"}|response_format"})
    void whatAnthropicThinkingExcludesIsRefusedNamingTheField(String extra, String field) {
        assertThatThrownBy(() -> encode("""
                {"model":"m","reasoning_effort":"low",%s,"messages":[{"role":"user","content":"Hi"}]}""".formatted(extra)))
                .isInstanceOfSatisfying(UnsupportedByDialectException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.provider()).isEqualTo("anthropic");
                });
    }

    @Test
    void jsonObjectWithToolsIsRefusedNamingResponseFormat() {
        assertThatThrownBy(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_object"},
                 "tools":[{"type":"function","function":{"name":"f"}}]}"""))
                .isInstanceOfSatisfying(UnsupportedByDialectException.class,
                        e -> assertThat(e.field()).isEqualTo("response_format"));
    }

    @Test
    void anImageThatIsNeitherABase64DataUrlNorHttpIsABadRequest() {
        for (String url : new String[] {"ftp://example.com/a.png", "data:image/png,raw"}) {
            assertThatThrownBy(() -> encode("""
                    {"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"%s"}}]}]}"""
                    .formatted(url))).isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("image_url");
        }
    }

    @Test
    void toolCallArgumentsThatAreNotAJsonObjectAreABadRequest() {
        assertThatThrownBy(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"assistant","tool_calls":[
                 {"id":"c1","type":"function","function":{"name":"f","arguments":"{not json"}}]}]}"""))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("arguments");
    }

    @Test
    void serialToolCallsWithoutAToolChoiceAskForAutoWithoutParallelUse() {
        JsonNode body = encode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"parallel_tool_calls":false,
                 "tools":[{"type":"function","function":{"name":"f"}}]}""");
        assertThat(body.get("tool_choice")).isEqualTo(DialectFixtures.parse(
                "{\"type\":\"auto\",\"disable_parallel_tool_use\":true}".getBytes(StandardCharsets.UTF_8)));
        assertThat(body.get("max_tokens").intValue()).as("the configured default").isEqualTo(1024);
    }

    @Test
    void toolChoiceNoneStaysNoneAndCarriesNoParallelFlag() {
        JsonNode body = encode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"parallel_tool_calls":false,"tool_choice":"none",
                 "tools":[{"type":"function","function":{"name":"f"}}]}""");
        assertThat(body.get("tool_choice").toString()).isEqualTo("{\"type\":\"none\"}");
    }

    @Test
    void aSignedReasoningPartGoesBackAsAThinkingBlockFirstInItsTurn() {
        ChatRequest request = decoder.decode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}"""
                .getBytes(StandardCharsets.UTF_8));
        var assistant = new Message(Role.ASSISTANT, List.of(
                new Part.Reasoning("hmm", Optional.of("sig")),
                new Part.Text("Hello")));
        ChatRequest withThinking = new ChatRequest(request.model(),
                List.of(request.messages().get(0), assistant), request.tools(), request.toolChoice(),
                request.parallelToolCalls(), request.responseFormat(), request.sampling(), request.user(),
                request.streaming());
        JsonNode content = encoder.encode(withThinking, "m").body().get("messages").get(1).get("content");
        assertThat(content.get(0).toString()).isEqualTo("{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"sig\"}");
        assertThat(content.get(1).get("text").asText()).isEqualTo("Hello");
    }
}
