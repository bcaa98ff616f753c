package io.bricksllm.dialect.responses;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.ResponseCreateParams;
import io.bricksllm.dialect.ChatRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Responses API request (valid for the official SDK's own request type) → the canonical request written in the
 * golden {@code .canonical.json} beside it.
 */
class ResponsesRequestGoldenTest {

    private final ResponsesRequestDecoder decoder = new ResponsesRequestDecoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"plain", "agent-turn", "json-schema", "named-tool"})
    void decodesTheRequestToTheGoldenCanonicalRequest(String name) throws Exception {
        byte[] body = bytes("responses/requests/" + name + ".responses.json");
        // the fixture is a request the openai-java SDK itself would accept
        ObjectMappers.jsonMapper().readValue(body, ResponseCreateParams.Body.class).validate();

        ChatRequest request = decoder.decode(body);

        JsonNode actual = CanonicalJson.of(request);
        assertThat(actual).as(actual.toPrettyString()).isEqualTo(json("responses/requests/" + name + ".canonical.json"));
    }
}
