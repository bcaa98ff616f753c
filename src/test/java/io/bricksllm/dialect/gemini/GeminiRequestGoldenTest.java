package io.bricksllm.dialect.gemini;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.openai.OpenAiRequestDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI request in → canonical → Gemini generateContent body and path out, compared with a golden body. */
class GeminiRequestGoldenTest {

    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder(JSON);
    private final GeminiRequestEncoder encoder = new GeminiRequestEncoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"plain", "system-and-sampling", "multi-turn-merge", "tools-round-trip", "legacy-functions",
            "images", "json-schema", "json-object", "reasoning-effort"})
    void translatesTheOpenAiRequestToTheGoldenGeminiBody(String name) {
        ChatRequest request = decoder.decode(json("gemini/requests/" + name + ".openai.json"));
        String model = request.model().substring(request.model().indexOf('/') + 1);

        GeminiCall call = encoder.encode(request, model);

        JsonNode expected = json("gemini/requests/" + name + ".gemini.json");
        assertThat(call.body()).as(call.body().toPrettyString()).isEqualTo(expected);
        String method = request.streaming().stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
        assertThat(call.path()).isEqualTo("/v1beta/models/" + model + method);
        assertThat(call.body().toString()).as("the model and the caller's user id stay out of the body")
                .doesNotContain(model).doesNotContain("end-user-42");
    }
}
