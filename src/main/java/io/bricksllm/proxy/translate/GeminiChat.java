package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.gemini.GeminiCall;
import io.bricksllm.dialect.gemini.GeminiStreamDecoder;
import io.bricksllm.provider.Provider;
import io.bricksllm.proxy.Exchange;
import io.vertx.core.MultiMap;
import java.util.Map;

/** OpenAI chat → Gemini {@code generateContent} / {@code streamGenerateContent?alt=sse} and back. */
final class GeminiChat extends ChatTranslation {

    GeminiChat(Codecs codecs, AnswerMetering metering, Ingress ingress, Provider provider, String model) {
        super(codecs, metering, ingress, provider, model);
    }

    @Override
    Upstream encode(Exchange x, ChatRequest request) {
        GeminiCall call = codecs.geminiRequests().encode(request, model);
        return new Upstream(call.path(), Bodies.of(codecs.json(), call.body()), Map.of("Content-Type", "application/json"), false);
    }

    @Override
    ChatResponse response(byte[] body, MultiMap headers) {
        return codecs.geminiResponses().decode(body, model);
    }

    @Override
    StreamChatAnswer.Decoder stream(MultiMap headers) {
        GeminiStreamDecoder decoder = new GeminiStreamDecoder(codecs.json(), model);
        return new SseEvents((event, data) -> decoder.decode(data));
    }

    @Override
    ChatError error(int status, MultiMap headers, byte[] body) {
        return codecs.geminiErrors().decode(status, body);
    }
}
