package io.bricksllm.dialect.bedrock;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.openai.OpenAiRequestDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI request in → canonical → Bedrock Converse body out, compared with a golden body. */
class BedrockRequestGoldenTest {

    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder(JSON);
    private final BedrockRequestEncoder encoder = new BedrockRequestEncoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"plain", "system-and-sampling", "multi-turn-merge", "tools-round-trip", "images",
            "json-schema", "json-object", "reasoning-effort", "tool-choice-none"})
    void translatesTheOpenAiRequestToTheGoldenConverseBody(String name) {
        ChatRequest request = decoder.decode(json("bedrock/requests/" + name + ".openai.json"));

        BedrockCall call = encoder.encode(request, request.model().substring(request.model().indexOf('/') + 1));

        JsonNode expected = json("bedrock/requests/" + name + ".bedrock.json");
        assertThat(call.body()).as(call.body().toPrettyString()).isEqualTo(expected);
        assertThat(call.answerTool().isPresent()).isEqualTo(name.startsWith("json-"));
    }
}
