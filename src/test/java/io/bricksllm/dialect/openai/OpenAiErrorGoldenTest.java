package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.dialect.ChatError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An OpenAI-compatible error body → canonical error, the upstream status kept, compared with a golden rendering. */
class OpenAiErrorGoldenTest {

    private final OpenAiErrorDecoder decoder = new OpenAiErrorDecoder(JSON);

    @ParameterizedTest
    @CsvSource({"openai-rate-limit,429", "openai-invalid-request,400", "azure-content-filter,400",
            "azure-code-only,429", "vllm-flat,400", "not-json,502", "empty-error,503"})
    void decodesTheErrorBodyKeepingTheStatus(String name, int status) {
        ChatError error = decoder.decode(status, bytes("openai/errors/" + name + ".json"));

        assertThat(CanonicalJson.error(error)).isEqualTo(json("openai/errors/" + name + ".expected.json"));
    }
}
