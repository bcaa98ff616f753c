package io.bricksllm.dialect.gemini;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static io.bricksllm.dialect.DialectFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.ObjectMappers;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI embeddings request → batchEmbedContents body, and the Gemini answer → OpenAI's embeddings response. */
class GeminiEmbeddingsTest {

    private final GeminiEmbeddingsEncoder encoder = new GeminiEmbeddingsEncoder(JSON);
    private final GeminiEmbeddingsDecoder decoder = new GeminiEmbeddingsDecoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"list", "base64"})
    void translatesTheRequestAndTheAnswerToTheGoldenBodies(String name) throws Exception {
        GeminiEmbeddingsCall call = encoder.encode(json("gemini/embeddings/" + name + ".openai-request.json"),
                "gemini-embedding-001");

        assertThat(call.path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        assertThat(call.body()).as(call.body().toPrettyString())
                .isEqualTo(json("gemini/embeddings/" + name + ".gemini-request.json"));
        assertThat(call.inputs()).containsExactly("The food was delicious", "and the waiter");

        byte[] out = decoder.decode(bytes("gemini/embeddings/answer.gemini.json"), call, "gemini/gemini-embedding-001", 9);

        assertThat(parse(out)).isEqualTo(json("gemini/embeddings/" + name + ".openai-response.json"));
        ObjectMappers.jsonMapper().readValue(out, CreateEmbeddingResponse.class).validate();
    }

    @Test
    void aSingleStringIsOneRequest() {
        GeminiEmbeddingsCall call = encoder.encode(parse("{\"input\":\"hi\"}".getBytes(StandardCharsets.UTF_8)), "m1");
        assertThat(call.body().get("requests")).hasSize(1);
        assertThat(call.body().at("/requests/0/model").asText()).isEqualTo("models/m1");
        assertThat(call.base64()).isFalse();
    }

    @Test
    void tokenArraysAreRefusedAndOtherShapesAreInvalid() {
        assertThatThrownBy(() -> encoder.encode(parse("{\"input\":[[1,2,3]]}".getBytes(StandardCharsets.UTF_8)), "m"))
                .isInstanceOf(UnsupportedByDialectException.class);
        assertThatThrownBy(() -> encoder.encode(parse("{\"input\":[]}".getBytes(StandardCharsets.UTF_8)), "m"))
                .isInstanceOf(InvalidChatRequestException.class);
        assertThatThrownBy(() -> encoder.encode(parse("{\"input\":\"x\",\"dimensions\":0}".getBytes(StandardCharsets.UTF_8)), "m"))
                .isInstanceOf(InvalidChatRequestException.class);
    }

    @Test
    void anAnswerWithTheWrongNumberOfEmbeddingsIsAnUpstreamFault() {
        GeminiEmbeddingsCall call = new GeminiEmbeddingsCall("/p", JSON.createObjectNode(), List.of("a", "b"), false);
        assertThatThrownBy(() -> decoder.decode("{\"embeddings\":[{\"values\":[1]}]}".getBytes(StandardCharsets.UTF_8),
                call, "m", 1)).isInstanceOf(MalformedUpstreamException.class);
    }
}
