package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.StreamEncoder;
import io.bricksllm.dialect.responses.ResponsesEcho;
import io.bricksllm.dialect.responses.ResponsesStreamEncoder;
import io.bricksllm.provider.UsageDialect;

/**
 * Callers of OpenAI's Responses API ({@code /v1/responses}: the newest SDKs' default, Codex, the AI SDK) whose model
 * lives at a provider that does not serve it. Stateless: stored-state fields were refused by the decoder. Errors and
 * refusals are OpenAI's shape, which the Responses API shares.
 */
record ResponsesIngress(Codecs codecs) implements Ingress {

    @Override
    public ChatRequest decode(JsonNode body) {
        return codecs.responsesRequests().decode(body);
    }

    @Override
    public byte[] response(ChatResponse response, JsonNode body, ChatRequest request, long created) {
        return codecs.responsesAnswers().encode(response, created, ResponsesEcho.of(body, request));
    }

    @Override
    public StreamEncoder stream(JsonNode body, ChatRequest request, long created) {
        return new ResponsesStreamEncoder(codecs.json(), created, ResponsesEcho.of(body, request));
    }

    @Override
    public byte[] error(ChatError error) {
        return codecs.responsesErrors().encode(error);
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.OPENAI;
    }
}
