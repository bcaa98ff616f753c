package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.anthropic.AnthropicCall;
import io.bricksllm.dialect.anthropic.AnthropicStreamDecoder;
import io.bricksllm.provider.Provider;
import io.bricksllm.proxy.Exchange;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.Optional;

/** OpenAI chat → Anthropic Messages ({@code POST <base>/messages}) and back. */
final class AnthropicChat extends ChatTranslation {
    static final String VERSION = "2023-06-01";
    private Optional<String> answerTool = Optional.empty();

    AnthropicChat(Codecs codecs, AnswerMetering metering, Ingress ingress, Provider provider, String model) {
        super(codecs, metering, ingress, provider, model);
    }

    @Override
    Upstream encode(Exchange x, ChatRequest request) {
        AnthropicCall call = codecs.anthropicRequests().encode(request, model);
        answerTool = call.answerTool();
        String version = x.request.getHeader("anthropic-version");
        Map<String, String> headers = new java.util.HashMap<>(Map.of("anthropic-version", version == null ? VERSION : version,
                "Content-Type", "application/json"));
        String beta = x.request.getHeader("anthropic-beta");
        if (beta != null) headers.put("anthropic-beta", beta);
        return new Upstream("/messages", Bodies.of(codecs.json(), call.body()), headers, false);
    }

    @Override
    ChatResponse response(byte[] body, MultiMap headers) {
        return codecs.anthropicResponses().decode(body, answerTool);
    }

    @Override
    StreamChatAnswer.Decoder stream(MultiMap headers) {
        return new SseEvents(new AnthropicStreamDecoder(codecs.json(), answerTool)::decode);
    }

    @Override
    ChatError error(int status, MultiMap headers, byte[] body) {
        return codecs.anthropicErrors().decode(status, body);
    }
}
