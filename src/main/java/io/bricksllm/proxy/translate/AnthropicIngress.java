package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.StreamEncoder;
import io.bricksllm.dialect.anthropic.AnthropicStreamEncoder;
import io.bricksllm.provider.UsageDialect;

/** Callers of Anthropic's Messages API ({@code /v1/messages}: Claude Code, the Anthropic SDKs) whose model lives elsewhere. */
record AnthropicIngress(Codecs codecs) implements Ingress {

    @Override
    public ChatRequest decode(JsonNode body) {
        return codecs.anthropicIngressRequests().decode(body);
    }

    @Override
    public byte[] response(ChatResponse response, JsonNode body, ChatRequest request, long created) {
        return codecs.anthropicIngressResponses().encode(response);
    }

    @Override
    public StreamEncoder stream(JsonNode body, ChatRequest request, long created) {
        return new AnthropicStreamEncoder(codecs.json());
    }

    @Override
    public byte[] error(ChatError error) {
        return codecs.anthropicErrorAnswers().encode(error);
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.ANTHROPIC;
    }
}
