package io.bricksllm.dialect.gemini;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static io.bricksllm.dialect.DialectFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.ObjectMappers;
import com.openai.models.ErrorObject;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.openai.OpenAiErrorEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Gemini error body (plain or wrapped in an array) → OpenAI's error shape, the upstream status kept. */
class GeminiErrorGoldenTest {

    private final GeminiErrorDecoder decoder = new GeminiErrorDecoder(JSON);
    private final OpenAiErrorEncoder encoder = new OpenAiErrorEncoder(JSON);

    @ParameterizedTest
    @CsvSource({"rate-limit,429", "bad-key,400", "not-json,502"})
    void translatesTheErrorBodyKeepingTheStatus(String name, int status) throws Exception {
        ChatError error = decoder.decode(status, bytes("gemini/errors/" + name + ".gemini.json"));

        assertThat(error.status()).isEqualTo(status);
        byte[] out = encoder.encode(error);
        assertThat(parse(out)).isEqualTo(json("gemini/errors/" + name + ".openai.json"));
        ObjectMappers.jsonMapper().readValue(JSON.writeValueAsBytes(parse(out).get("error")), ErrorObject.class)
                .validate();
    }
}
