package io.bricksllm.dialect.responses;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.MessageCreateParams;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.UnsupportedByDialectException;
import io.bricksllm.dialect.anthropic.AnthropicCall;
import io.bricksllm.dialect.anthropic.AnthropicRequestEncoder;
import io.bricksllm.dialect.bedrock.BedrockRequestEncoder;
import io.bricksllm.dialect.gemini.GeminiRequestEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the decoder makes of each golden Responses request is something each target's encoder sends — or refuses
 * with a 400 naming the field, where the target itself cannot take the combination (Anthropic takes no JSON-object
 * answer beside tools; Bedrock takes no image by http URL). The agent turn continues a tool loop whose reasoning
 * carries no Claude signature, so Anthropic gets it without thinking, and its temperature with it. The refused
 * fields carry the chat dialect's names: the target encoders name fields as OpenAI chat does.
 */
class ResponsesToTargetsTest {

    @ParameterizedTest
    @CsvSource({
            "plain,anthropic,", "plain,gemini,", "plain,bedrock,",
            "agent-turn,anthropic,", "agent-turn,gemini,", "agent-turn,bedrock,messages[].content[].image_url",
            "json-schema,anthropic,", "json-schema,gemini,", "json-schema,bedrock,",
            "named-tool,anthropic,response_format", "named-tool,gemini,", "named-tool,bedrock,response_format"})
    void eachTargetEncodesTheDecodedRequestOrNamesWhatItCannotTake(String name, String target, String refused)
            throws Exception {
        ChatRequest request = new ResponsesRequestDecoder(JSON).decode(bytes("responses/requests/" + name
                + ".responses.json"));

        String outcome;
        try {
            switch (target) {
                case "anthropic" -> {
                    AnthropicCall call = new AnthropicRequestEncoder(JSON, 4096).encode(request, "claude-sonnet-4-5");
                    com.anthropic.core.ObjectMappers.jsonMapper().readValue(JSON.writeValueAsBytes(call.body()),
                            MessageCreateParams.Body.class).validate();
                }
                case "gemini" -> new GeminiRequestEncoder(JSON).encode(request, "gemini-2.5-pro");
                default -> new BedrockRequestEncoder(JSON).encode(request, "anthropic.claude-3-haiku");
            }
            outcome = null;
        } catch (UnsupportedByDialectException e) {
            outcome = e.field();
        }
        assertThat(outcome).isEqualTo(refused);
    }
}
