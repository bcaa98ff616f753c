package io.bricksllm.dialect.bedrock;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static io.bricksllm.dialect.DialectFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.ObjectMappers;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** OpenAI embeddings request → Titan InvokeModel call; Titan's answer → OpenAI's embeddings list with usage. */
class TitanEmbeddingsGoldenTest {

    private static final String MODEL = "amazon.titan-embed-text-v2:0";

    private final TitanEmbeddingsEncoder encoder = new TitanEmbeddingsEncoder(JSON);
    private final TitanEmbeddingsDecoder decoder = new TitanEmbeddingsDecoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"float", "base64"})
    void translatesBothWays(String name) throws Exception {
        TitanEmbeddingCall call = encoder.encode(json("bedrock/embeddings/" + name + ".openai.json"), MODEL);

        assertThat(call.path()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
        assertThat(call.body()).isEqualTo(json("bedrock/embeddings/" + name + ".bedrock.json"));
        byte[] out = decoder.decode(bytes("bedrock/embeddings/answer.bedrock.json"), MODEL, call);
        assertThat(parse(out)).as(new String(out, StandardCharsets.UTF_8))
                .isEqualTo(json("bedrock/embeddings/" + name + ".answer.openai.json"));
        ObjectMappers.jsonMapper().readValue(out, CreateEmbeddingResponse.class).validate();
    }

    @Test
    void base64IsLittleEndianFloat32AsOpenAiSendsIt() {
        TitanEmbeddingCall call = encoder.encode(json("bedrock/embeddings/base64.openai.json"), MODEL);
        String encoded = parse(decoder.decode(bytes("bedrock/embeddings/answer.bedrock.json"), MODEL, call))
                .at("/data/0/embedding").asText();
        ByteBuffer floats = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new float[] {floats.getFloat(), floats.getFloat(), floats.getFloat(), floats.getFloat()})
                .containsExactly(0.5f, -0.25f, 1.0f, 0.125f);
    }

    @Test
    void severalTextsAreRefusedBecauseTitanEmbedsOnePerCall() {
        assertThatThrownBy(() -> encoder.encode(parse("""
                {"model":"bedrock/amazon.titan-embed-text-v2:0","input":["a","b"]}""".getBytes(StandardCharsets.UTF_8)),
                MODEL)).isInstanceOfSatisfying(UnsupportedByDialectException.class, e -> {
                    assertThat(e.field()).isEqualTo("input");
                    assertThat(e.provider()).isEqualTo("bedrock");
                });
        assertThatThrownBy(() -> encoder.encode(parse("""
                {"input":[[1,2,3]]}""".getBytes(StandardCharsets.UTF_8)), MODEL))
                .isInstanceOf(UnsupportedByDialectException.class).hasMessageContaining("token arrays");
        assertThatThrownBy(() -> encoder.encode(parse("""
                {"input":42}""".getBytes(StandardCharsets.UTF_8)), MODEL))
                .isInstanceOf(InvalidChatRequestException.class);
    }
}
