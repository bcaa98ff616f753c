package io.bricksllm.dialect.gemini;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static io.bricksllm.dialect.DialectFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.openai.OpenAiResponseEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Gemini generateContent response in → canonical → OpenAI chat.completion out, compared with a golden body. */
class GeminiResponseGoldenTest {

    private final GeminiResponseDecoder decoder = new GeminiResponseDecoder(JSON);
    private final OpenAiResponseEncoder encoder = new OpenAiResponseEncoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"text-cached", "tool-calls", "thinking", "safety", "prompt-blocked"})
    void translatesTheGeminiResponseToTheGoldenChatCompletion(String name) throws Exception {
        ChatResponse response = decoder.decode(bytes("gemini/responses/" + name + ".gemini.json"), "gemini-2.5-flash");

        byte[] out = encoder.encode(response, 1_700_000_000L);

        assertThat(parse(out)).isEqualTo(json("gemini/responses/" + name + ".openai.json"));
        ObjectMappers.jsonMapper().readValue(out, ChatCompletion.class).validate();
    }

    @Test
    void cachedTokensAreADetailOfThePromptAndThoughtsCountAsOutput() {
        ChatResponse cached = decoder.decode(bytes("gemini/responses/text-cached.gemini.json"), "m");
        assertThat(cached.usage().input().getAsLong()).isEqualTo(1200);
        assertThat(cached.usage().cacheRead().getAsLong()).isEqualTo(1024);
        assertThat(cached.usage().cacheWrite()).as("Gemini reports no cache writes: not 0").isEmpty();
        assertThat(cached.usage().reasoning()).isEmpty();

        ChatResponse thinking = decoder.decode(bytes("gemini/responses/thinking.gemini.json"), "m");
        assertThat(thinking.usage().output().getAsLong()).isEqualTo(2 + 90);
        assertThat(thinking.usage().reasoning().getAsLong()).isEqualTo(90);
    }

    @Test
    void anAnswerWithoutModelVersionOrResponseIdNamesTheRequestedModelAndGetsAnId() {
        ChatResponse response = decoder.decode("""
                {"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{}}}]},"finishReason":"STOP"}]}"""
                .getBytes(StandardCharsets.UTF_8), "gemini-2.0-flash");
        assertThat(response.model()).isEqualTo("gemini-2.0-flash");
        assertThat(response.id()).startsWith("gemini-");
        assertThat(response.parts()).singleElement().isEqualTo(
                new Part.ToolCall("call_" + response.id() + "_0", "f", "{}"));
        assertThat(response.usage().isReported()).isFalse();
    }

    @Test
    void aBodyThatIsNotAnAnswerIsAnUpstreamFault() {
        assertThatThrownBy(() -> decoder.decode("<html>".getBytes(StandardCharsets.UTF_8), "m"))
                .isInstanceOfSatisfying(MalformedUpstreamException.class,
                        e -> assertThat(e.toChatError().status()).isEqualTo(502));
        assertThatThrownBy(() -> decoder.decode("{}".getBytes(StandardCharsets.UTF_8), "m"))
                .isInstanceOf(MalformedUpstreamException.class);
    }
}
