package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.util.Optional;

/**
 * A canonical request as a Bedrock Converse body (the same body serves ConverseStream: streaming is
 * chosen by the path). Fails with {@link UnsupportedByDialectException} for what Converse cannot
 * express, before anything is sent. The caller's {@code user} has no Converse field and is not sent;
 * {@code parallel_tool_calls} has none either and is not sent.
 */
public final class BedrockRequestEncoder {

    static final String PROVIDER = "bedrock";

    private final ObjectMapper json;
    private final BedrockMessagesEncoder messages;
    private final BedrockToolsEncoder tools;
    private final BedrockThinkingEncoder thinking = new BedrockThinkingEncoder();

    public BedrockRequestEncoder(ObjectMapper json) {
        this.json = json;
        this.messages = new BedrockMessagesEncoder(json);
        this.tools = new BedrockToolsEncoder(json);
    }

    /** @param modelId the Bedrock model id (the caller's {@code bedrock/} prefix already removed) */
    public BedrockCall encode(ChatRequest request, String modelId) {
        Sampling sampling = request.sampling();
        if (sampling.n().orElse(1) > 1) {
            throw new UnsupportedByDialectException("n", PROVIDER, "only one choice per request");
        }
        ObjectNode body = json.createObjectNode();
        body.set("messages", messages.messages(request.messages()));
        ArrayNode system = messages.system(request.messages());
        if (!system.isEmpty()) {
            body.set("system", system);
        }
        ObjectNode inference = json.createObjectNode();
        sampling.maxOutputTokens().ifPresent(max -> inference.put("maxTokens", max));
        sampling.temperature().ifPresent(t -> inference.put("temperature", t));
        sampling.topP().ifPresent(p -> inference.put("topP", p));
        if (!sampling.stop().isEmpty()) {
            ArrayNode stop = inference.putArray("stopSequences");
            sampling.stop().forEach(stop::add);
        }
        Optional<String> answerTool = tools.encode(request, body);
        thinking.encode(sampling, request.messages(), modelId, body, inference);
        if (!inference.isEmpty()) {
            body.set("inferenceConfig", inference);
        }
        return new BedrockCall(body, answerTool);
    }
}
