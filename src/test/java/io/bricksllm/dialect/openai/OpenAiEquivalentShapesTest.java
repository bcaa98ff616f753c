package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.dialect.ChatRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Different OpenAI spellings of the same request (string vs part content, developer vs system, legacy functions) decode alike. */
class OpenAiEquivalentShapesTest {

    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"content-shapes", "legacy-functions", "named-tool-choice"})
    void equivalentSpellingsDecodeToTheSameCanonicalRequest(String name) {
        ChatRequest a = decoder.decode(bytes("openai/equivalent/" + name + ".a.json"));
        ChatRequest b = decoder.decode(bytes("openai/equivalent/" + name + ".b.json"));

        assertThat(a).isEqualTo(b);
    }
}
