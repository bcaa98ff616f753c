package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.openai.OpenAiStreamDecoder;
import io.bricksllm.provider.Provider;
import io.bricksllm.proxy.Exchange;
import io.vertx.core.MultiMap;
import java.util.Map;

/**
 * Another API's chat request (Anthropic's Messages, OpenAI's Responses) for a provider that speaks OpenAI's chat
 * completions — OpenAI, Azure, vLLM, the OpenAI-compatible clouds — and back. The stream always asks for usage.
 */
final class OpenAiChat extends ChatTranslation {
    private final Map<String, String> params;

    /** @param params a route step's provider parameters (Azure's deployment and API version) */
    OpenAiChat(Codecs codecs, AnswerMetering metering, Ingress ingress, Provider provider, String model, Map<String, String> params) {
        super(codecs, metering, ingress, provider, model);
        this.params = params;
    }

    @Override
    Upstream encode(Exchange x, ChatRequest request) {
        return new Upstream(provider.openAiPath("/chat/completions", model, params, x.setting),
                Bodies.of(codecs.json(), codecs.openAiTargetRequests().encode(request, model)), Map.of("Content-Type", "application/json"), false);
    }

    @Override
    ChatResponse response(byte[] body, MultiMap headers) {
        return codecs.openAiTargetResponses().decode(body);
    }

    @Override
    StreamChatAnswer.Decoder stream(MultiMap headers) {
        return new SseEvents(new OpenAiStreamDecoder(codecs.json())::decode);
    }

    @Override
    ChatError error(int status, MultiMap headers, byte[] body) {
        return codecs.openAiTargetErrors().decode(status, body);
    }
}
