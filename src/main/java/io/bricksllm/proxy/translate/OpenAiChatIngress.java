package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.StreamEncoder;
import io.bricksllm.dialect.openai.OpenAiStreamEncoder;
import io.bricksllm.provider.UsageDialect;

/** Callers of OpenAI's chat completions ({@code /v1/chat/completions}). */
record OpenAiChatIngress(Codecs codecs) implements Ingress {

    @Override
    public ChatRequest decode(JsonNode body) {
        return codecs.openAiRequests().decode(body);
    }

    @Override
    public byte[] response(ChatResponse response, JsonNode body, ChatRequest request, long created) {
        return codecs.openAiResponses().encode(response, created);
    }

    @Override
    public StreamEncoder stream(JsonNode body, ChatRequest request, long created) {
        return new OpenAiStreamEncoder(codecs.json(), request.streaming().includeUsage(), created);
    }

    @Override
    public byte[] error(ChatError error) {
        return codecs.openAiErrors().encode(error);
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.OPENAI;
    }
}
