package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.UnsupportedByDialectException;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.MultiMap;

/**
 * An OpenAI chat request for a provider of another dialect: decoded into the canonical request, encoded by the
 * target dialect; its answer decoded by that dialect and written as OpenAI's (JSON, stream or error).
 */
abstract class ChatTranslation extends FromOpenAi {
    private boolean stream;
    private boolean includeUsage;

    ChatTranslation(Codecs codecs, AnswerMetering metering, Provider provider, String model) {
        super(codecs, metering, provider, model);
    }

    @Override
    final Upstream encodeNow(Exchange x) {
        JsonNode caller = callerBody(x);
        ChatRequest request;
        try {
            request = codecs.openAiRequests().decode(caller);
        } catch (UnsupportedByDialectException e) {
            throw e.forProvider(provider.name());
        }
        stream = request.streaming().stream();
        includeUsage = request.streaming().includeUsage();
        return encode(x, request);
    }

    /** The target dialect's request for the decoded caller request. */
    abstract Upstream encode(Exchange x, ChatRequest request);

    abstract ChatResponse response(byte[] body, MultiMap headers);

    abstract StreamChatAnswer.Decoder stream(MultiMap headers);

    @Override
    public final ResponseMeter answer(Exchange x, int status, MultiMap headers) {
        if (status / 100 != 2) return errorAnswer(status, headers);
        if (stream) {
            return new StreamChatAnswer(x, stream(headers), codecs.streamEncoder(includeUsage, x.receivedAt.getEpochSecond()), metering);
        }
        return new JsonChatAnswer(x, provider.name(), b -> response(b, headers), codecs.openAiResponses(), metering);
    }

}
