package io.bricksllm.dialect.anthropic;

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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Anthropic response in → canonical → OpenAI chat.completion out, compared with a golden body. */
class AnthropicResponseGoldenTest {

    private final AnthropicResponseDecoder decoder = new AnthropicResponseDecoder(JSON);
    private final OpenAiResponseEncoder encoder = new OpenAiResponseEncoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-use-cached", "thinking", "json-object", "refusal"})
    void translatesTheMessagesResponseToTheGoldenChatCompletion(String name) throws Exception {
        Optional<String> answerTool = name.equals("json-object") ? Optional.of("json_answer") : Optional.empty();
        ChatResponse response = decoder.decode(bytes("anthropic/responses/" + name + ".anthropic.json"), answerTool);

        byte[] out = encoder.encode(response, 1_700_000_000L);

        assertThat(parse(out)).isEqualTo(json("anthropic/responses/" + name + ".openai.json"));
        ObjectMappers.jsonMapper().readValue(out, ChatCompletion.class).validate();
    }

    @Test
    void cacheCountsAreDetailsOfTheWholeInput() {
        ChatResponse response = decoder.decode(bytes("anthropic/responses/tool-use-cached.anthropic.json"),
                Optional.empty());
        assertThat(response.usage().input().getAsLong()).isEqualTo(20 + 30 + 100);
        assertThat(response.usage().cacheRead().getAsLong()).isEqualTo(100);
        assertThat(response.usage().cacheWrite().getAsLong()).isEqualTo(30);
        assertThat(response.usage().reasoning()).as("not reported is not 0").isEmpty();
    }

    @Test
    void thinkingKeepsItsSignatureSoItCanBeSentBackToAnthropic() {
        ChatResponse response = decoder.decode(bytes("anthropic/responses/thinking.anthropic.json"), Optional.empty());
        assertThat(response.parts().getFirst()).isEqualTo(
                new Part.Reasoning("2 + 2 = 4.", Optional.of("EqQBCkYIBxgCKkBh")));
    }

    @Test
    void aBodyThatIsNotAMessageIsAnUpstreamFault() {
        assertThatThrownBy(() -> decoder.decode("<html>".getBytes(StandardCharsets.UTF_8), Optional.empty()))
                .isInstanceOfSatisfying(MalformedUpstreamException.class,
                        e -> assertThat(e.toChatError().status()).isEqualTo(502));
    }
}
