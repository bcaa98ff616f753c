package io.bricksllm.dialect.bedrock;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static io.bricksllm.dialect.DialectFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.ObjectMappers;
import com.openai.models.ErrorObject;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.openai.OpenAiErrorEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Bedrock error body and its {@code x-amzn-ErrorType} header → OpenAI's error shape, the upstream status kept. */
class BedrockErrorGoldenTest {

    private final BedrockErrorDecoder decoder = new BedrockErrorDecoder(JSON);
    private final OpenAiErrorEncoder encoder = new OpenAiErrorEncoder(JSON);

    @ParameterizedTest
    @CsvSource({
        "throttling,429,ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
        "validation,400,ValidationException",
        "not-json,502,"})
    void translatesTheErrorBodyKeepingTheStatus(String name, int status, String errorType) throws Exception {
        ChatError error = decoder.decode(status, errorType, bytes("bedrock/errors/" + name + ".bedrock.json"));

        assertThat(error.status()).isEqualTo(status);
        byte[] out = encoder.encode(error);
        assertThat(parse(out)).as(new String(out, StandardCharsets.UTF_8))
                .isEqualTo(json("bedrock/errors/" + name + ".openai.json"));
        ObjectMappers.jsonMapper().readValue(JSON.writeValueAsBytes(parse(out).get("error")), ErrorObject.class)
                .validate();
    }
}
