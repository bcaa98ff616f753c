package io.bricksllm.dialect.gemini;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.DialectException;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.UnsupportedByDialectException;
import io.bricksllm.dialect.openai.OpenAiRequestDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What Gemini cannot express is refused before anything is sent, naming the field and the provider. */
class GeminiRequestRefusalTest {

    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder(JSON);
    private final GeminiRequestEncoder encoder = new GeminiRequestEncoder(JSON);

    private GeminiCall encode(String openAiJson, String model) {
        ChatRequest request = decoder.decode(openAiJson.getBytes(StandardCharsets.UTF_8));
        return encoder.encode(request, model);
    }

    @Test
    void moreThanOneChoiceIsRefusedNamingNAndGemini() {
        assertThatThrownBy(() -> encode("""
                {"model":"m","n":2,"messages":[{"role":"user","content":"Hi"}]}""", "gemini-2.5-flash"))
                .isInstanceOfSatisfying(UnsupportedByDialectException.class, e -> {
                    assertThat(e.field()).isEqualTo("n");
                    assertThat(e.provider()).isEqualTo("gemini");
                    assertThat(e.toChatError().status()).isEqualTo(400);
                });
    }

    @Test
    void anImageUrlWithoutAKnownImageExtensionIsRefusedSinceGeminiNeedsItsType() {
        assertThatThrownBy(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"image_url",
                 "image_url":{"url":"https://example.com/render?id=7"}}]}]}""", "gemini-2.5-flash"))
                .isInstanceOfSatisfying(UnsupportedByDialectException.class,
                        e -> assertThat(e.field()).isEqualTo("messages[].content[].image_url"));
    }

    @Test
    void anImageTypeGeminiCannotReadIsRefused() {
        assertThatThrownBy(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"image_url",
                 "image_url":{"url":"data:image/bmp;base64,Qk0="}}]}]}""", "gemini-2.5-flash"))
                .isInstanceOf(UnsupportedByDialectException.class).hasMessageContaining("image/bmp");
    }

    @Test
    void aToolResultForNoKnownCallIsRefusedSinceGeminiNeedsTheFunctionName() {
        assertThatThrownBy(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"},
                 {"role":"tool","tool_call_id":"call_x","content":"42"}]}""", "gemini-2.5-flash"))
                .isInstanceOfSatisfying(InvalidChatRequestException.class,
                        e -> assertThat(e.getMessage()).contains("call_x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../files", "gemini-2.5-flash:generateContent?key=x", "a/b", "", "gemini 2"})
    void aModelIdThatWouldChangeTheUrlIsRefused(String model) {
        assertThatThrownBy(() -> encode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}]}""", model))
                .isInstanceOfSatisfying(DialectException.class, e -> assertThat(e.field()).isEqualTo("model"));
    }

    @Test
    void reasoningEffortNoneTurnsThinkingOffAndIncludesNoThoughts() {
        GeminiCall call = encode("""
                {"model":"m","reasoning_effort":"none","messages":[{"role":"user","content":"Hi"}]}""", "gemini-2.5-flash");
        assertThat(call.body().at("/generationConfig/thinkingConfig").toString()).isEqualTo("{\"thinkingBudget\":0}");
    }

    @Test
    void aNamedToolChoiceForcesThatFunction() {
        GeminiCall call = encode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],
                 "tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}],
                 "tool_choice":{"type":"function","function":{"name":"b"}}}""", "gemini-2.5-flash");
        assertThat(call.body().at("/toolConfig/functionCallingConfig").toString())
                .isEqualTo("{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"b\"]}");
    }

    @Test
    void theFirstFunctionCallOfAMergedModelTurnCarriesThePlaceholderSignatureGemini3Requires() {
        GeminiCall call = encode("""
                {"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Looking."},
                 {"role":"assistant","content":null,"tool_calls":[
                  {"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}},
                  {"id":"c2","type":"function","function":{"name":"f","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"c1","content":"1"},{"role":"tool","tool_call_id":"c2","content":"2"}]}""",
                "gemini-3-pro-preview");
        assertThat(call.body().at("/contents/1/parts/0").has("thoughtSignature")).isFalse();
        assertThat(call.body().at("/contents/1/parts/1/thoughtSignature").asText())
                .isEqualTo("skip_thought_signature_validator");
        assertThat(call.body().at("/contents/1/parts/2").has("thoughtSignature")).isFalse();
    }
}
