package io.bricksllm.dialect.bedrock;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.UnsupportedByDialectException;
import io.bricksllm.dialect.openai.OpenAiRequestDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What Converse cannot express is refused, naming the field and bedrock; the paths encode the model id. */
class BedrockRequestRefusalTest {

    private static final String CLAUDE = "anthropic.claude-sonnet-4-5-20250929-v1:0";

    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder(JSON);
    private final BedrockRequestEncoder encoder = new BedrockRequestEncoder(JSON);

    private JsonNode encode(String openAiJson, String modelId) {
        ChatRequest request = decoder.decode(openAiJson.getBytes(StandardCharsets.UTF_8));
        return encoder.encode(request, modelId).body();
    }

    private static void refused(Runnable encode, String field) {
        assertThatThrownBy(encode::run).isInstanceOfSatisfying(UnsupportedByDialectException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.provider()).isEqualTo("bedrock");
            assertThat(e.toChatError().status()).isEqualTo(400);
            assertThat(e.getMessage()).contains("'" + field + "'").contains("bedrock");
        });
    }

    @Test
    void moreThanOneChoiceIsRefused() {
        refused(() -> encode("""
                {"model":"m","n":2,"messages":[{"role":"user","content":"Hi"}]}""", CLAUDE), "n");
    }

    @Test
    void anHttpImageIsRefusedBecauseConverseTakesBytesOnly() {
        refused(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"image_url",
                 "image_url":{"url":"https://example.com/cat.jpg"}}]}]}""", CLAUDE), "messages[].content[].image_url");
    }

    @Test
    void anImageFormatConverseCannotReadIsRefused() {
        assertThatThrownBy(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"image_url",
                 "image_url":{"url":"data:image/bmp;base64,Qk0="}}]}]}""", CLAUDE))
                .isInstanceOf(UnsupportedByDialectException.class).hasMessageContaining("image/bmp");
    }

    @Test
    void anImageThatIsNeitherABase64DataUrlNorHttpIsABadRequest() {
        for (String url : new String[] {"ftp://example.com/a.png", "data:image/png,raw"}) {
            assertThatThrownBy(() -> encode("""
                    {"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"%s"}}]}]}"""
                    .formatted(url), CLAUDE)).isInstanceOf(InvalidChatRequestException.class);
        }
    }

    @Test
    void toolChoiceNoneIsRefusedWhenTheConversationHoldsToolCalls() {
        refused(() -> encode("""
                {"model":"m","tool_choice":"none","tools":[{"type":"function","function":{"name":"f"}}],
                 "messages":[{"role":"user","content":"Hi"},
                  {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"c1","content":"done"}]}""", CLAUDE), "tool_choice");
    }

    @Test
    void jsonOutputWithToolsIsRefused() {
        refused(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_object"},
                 "tools":[{"type":"function","function":{"name":"f"}}]}""", CLAUDE), "response_format");
    }

    @Test
    void reasoningEffortIsRefusedForModelsOtherThanClaude() {
        refused(() -> encode("""
                {"model":"m","reasoning_effort":"high","messages":[{"role":"user","content":"Hi"}]}""",
                "meta.llama3-70b-instruct-v1:0"), "reasoning_effort");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"temperature\":0.5|temperature",
        "\"top_p\":0.5|top_p",
        "\"max_completion_tokens\":1000|reasoning_effort",
        "\"tool_choice\":\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]|tool_choice",
        "\"response_format\":{\"type\":\"json_object\"}|response_format"})
    void whatClaudeThinkingExcludesIsRefusedNamingTheField(String extra, String field) {
        refused(() -> encode("""
                {"model":"m","reasoning_effort":"low",%s,"messages":[{"role":"user","content":"Hi"}]}"""
                .formatted(extra), CLAUDE), field);
    }

    @Test
    void aCallersOutputCapBoundsTheThinkingBudget() {
        JsonNode body = encode("""
                {"model":"m","reasoning_effort":"high","max_completion_tokens":2000,
                 "messages":[{"role":"user","content":"Hi"}]}""", CLAUDE);
        assertThat(body.at("/inferenceConfig/maxTokens").intValue()).isEqualTo(2000);
        assertThat(body.at("/additionalModelRequestFields/thinking/budget_tokens").intValue()).isEqualTo(1999);
    }

    @Test
    void toolCallArgumentsThatAreNotAJsonObjectAreABadRequest() {
        assertThatThrownBy(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"assistant","tool_calls":[
                 {"id":"c1","type":"function","function":{"name":"f","arguments":"{not json"}}]}]}""", CLAUDE))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("arguments");
    }

    @Test
    void pathsPercentEncodeTheModelIdAsOneSegment() {
        assertThat(BedrockPaths.converse("anthropic.claude-3-5-sonnet-20241022-v2:0"))
                .isEqualTo("/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse");
        assertThat(BedrockPaths.converseStream("us.anthropic.claude-3-5-haiku-20241022-v1:0"))
                .isEqualTo("/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream");
        assertThat(BedrockPaths.converse("arn:aws:bedrock:us-east-1:123:inference-profile/x y"))
                .isEqualTo("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123%3Ainference-profile%2Fx%20y/converse");
        assertThat(BedrockPaths.defaultBaseUrl("eu-central-1")).isEqualTo("https://bedrock-runtime.eu-central-1.amazonaws.com");
    }
}
