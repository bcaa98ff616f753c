package io.bricksllm.dialect.bedrock;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static io.bricksllm.dialect.DialectFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.openai.OpenAiResponseEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Converse response in → canonical → OpenAI chat.completion out, compared with a golden body. */
class BedrockResponseGoldenTest {

    static final String MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0";

    private final BedrockResponseDecoder decoder = new BedrockResponseDecoder(JSON);
    private final OpenAiResponseEncoder encoder = new OpenAiResponseEncoder(JSON);

    static Optional<String> answerTool(String name) {
        return name.startsWith("json-") ? Optional.of("json_answer") : Optional.empty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-use-cached", "reasoning", "json-schema", "guardrail", "max-tokens"})
    void translatesTheConverseResponseToTheGoldenChatCompletion(String name) throws Exception {
        ChatResponse response = decoder.decode(bytes("bedrock/responses/" + name + ".bedrock.json"), "req-" + name,
                MODEL, answerTool(name));

        byte[] out = encoder.encode(response, 1_700_000_000L);

        assertThat(parse(out)).as(new String(out, StandardCharsets.UTF_8))
                .isEqualTo(json("bedrock/responses/" + name + ".openai.json"));
        ObjectMappers.jsonMapper().readValue(out, ChatCompletion.class).validate();
    }

    @Test
    void cacheCountsAreAddedToInputTokensBecauseBedrockReportsThemApart() {
        ChatResponse response = decoder.decode(bytes("bedrock/responses/tool-use-cached.bedrock.json"), "r", MODEL,
                Optional.empty());
        assertThat(response.usage().input().getAsLong()).isEqualTo(20 + 100 + 30);
        assertThat(response.usage().cacheRead().getAsLong()).isEqualTo(100);
        assertThat(response.usage().cacheWrite().getAsLong()).isEqualTo(30);
        assertThat(response.usage().reasoning()).as("not reported is not 0").isEmpty();
    }

    @Test
    void aGuardrailStopIsAContentFilterFinish() {
        ChatResponse response = decoder.decode(bytes("bedrock/responses/guardrail.bedrock.json"), "r", MODEL,
                Optional.empty());
        assertThat(response.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    }

    @Test
    void reasoningKeepsItsSignatureSoItCanBeSentBack() {
        ChatResponse response = decoder.decode(bytes("bedrock/responses/reasoning.bedrock.json"), "r", MODEL,
                Optional.empty());
        assertThat(response.parts().getFirst()).isEqualTo(
                new Part.Reasoning("2 + 2 = 4.", Optional.of("EqQBCkYIBxgCKkBh")));
    }

    @Test
    void aBodyThatIsNotAConverseResponseIsAnUpstreamFault() {
        for (String body : new String[] {"<html>", "{\"output\":{}}"}) {
            assertThatThrownBy(() -> decoder.decode(body.getBytes(StandardCharsets.UTF_8), "r", MODEL, Optional.empty()))
                    .isInstanceOfSatisfying(MalformedUpstreamException.class,
                            e -> assertThat(e.toChatError().status()).isEqualTo(502));
        }
    }
}
