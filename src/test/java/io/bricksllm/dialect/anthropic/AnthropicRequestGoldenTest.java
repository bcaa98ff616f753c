package io.bricksllm.dialect.anthropic;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.openai.OpenAiRequestDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI request in → canonical → Anthropic Messages body out, compared with a golden body. */
class AnthropicRequestGoldenTest {

    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder(JSON);
    private final AnthropicRequestEncoder encoder = new AnthropicRequestEncoder(JSON, 4096);

    @ParameterizedTest
    @ValueSource(strings = {"plain", "system-and-sampling", "multi-turn-merge", "tools-round-trip", "legacy-functions",
            "images", "json-schema", "json-object", "reasoning-effort"})
    void translatesTheOpenAiRequestToTheGoldenMessagesBody(String name) throws Exception {
        ChatRequest request = decoder.decode(json("anthropic/requests/" + name + ".openai.json"));

        AnthropicCall call = encoder.encode(request, request.model().substring(request.model().indexOf('/') + 1));

        JsonNode expected = json("anthropic/requests/" + name + ".anthropic.json");
        assertThat(call.body()).as(call.body().toPrettyString()).isEqualTo(expected);
        assertThat(call.answerTool().isPresent()).isEqualTo(name.equals("json-object"));
        // the official SDK's wire types accept the body as a valid Messages request
        ObjectMappers.jsonMapper().readValue(JSON.writeValueAsBytes(call.body()), MessageCreateParams.Body.class)
                .validate();
    }
}
