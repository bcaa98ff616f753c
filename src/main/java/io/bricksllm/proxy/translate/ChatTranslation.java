package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.UnsupportedByDialectException;
import io.bricksllm.provider.Provider;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.MultiMap;

/**
 * A chat request in the caller's API for a provider of another dialect: decoded by the {@link Ingress} into the
 * canonical request, encoded by the target dialect; its answer decoded by that dialect and written back by the ingress
 * (JSON, stream or error).
 */
abstract class ChatTranslation extends CrossDialect {
    private JsonNode body;
    private ChatRequest request;

    ChatTranslation(Codecs codecs, AnswerMetering metering, Ingress ingress, Provider provider, String model) {
        super(codecs, metering, ingress, provider, model);
    }

    @Override
    final Upstream encodeNow(Exchange x) {
        JsonNode caller = callerBody(x);
        try {
            request = ingress.decode(caller);
            body = caller;
        } catch (UnsupportedByDialectException e) {
            throw e.forProvider(provider.name());
        }
        return encode(x, request);
    }

    /** The target dialect's request for the decoded caller request. */
    abstract Upstream encode(Exchange x, ChatRequest request);

    abstract ChatResponse response(byte[] body, MultiMap headers);

    abstract StreamChatAnswer.Decoder stream(MultiMap headers);

    @Override
    public final ResponseMeter answer(Exchange x, int status, MultiMap headers) {
        if (status / 100 != 2) return errorAnswer(status, headers);
        JsonNode caller = body;
        ChatRequest asked = request;
        long created = x.receivedAt.getEpochSecond();
        if (asked.streaming().stream()) return new StreamChatAnswer(x, stream(headers), ingress.stream(caller, asked, created), metering);
        return new JsonChatAnswer(x, provider.name(), b -> response(b, headers), r -> ingress.response(r, caller, asked, created), metering);
    }
}
