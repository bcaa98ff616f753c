package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.MultiMap;
import java.util.function.UnaryOperator;

/** An OpenAI embeddings request for a provider of another dialect (Gemini, Bedrock Titan), and its answer back. */
abstract class EmbeddingsTranslation extends EncodedOnce {
    final Codecs codecs;
    final AnswerMetering metering;
    final Provider provider;
    final String model;

    EmbeddingsTranslation(Codecs codecs, AnswerMetering metering, Provider provider, String model) {
        this.codecs = codecs;
        this.metering = metering;
        this.provider = provider;
        this.model = model;
    }

    @Override
    final Upstream encodeNow(Exchange x) {
        JsonNode caller = x.info.json();
        if (caller == null || !caller.isObject()) throw new InvalidChatRequestException("body", "a JSON object is required");
        return encode(x, caller);
    }

    abstract Upstream encode(Exchange x, JsonNode request);

    /** The upstream's successful answer as OpenAI's embeddings list. */
    abstract UnaryOperator<byte[]> rewrite(Exchange x, MultiMap headers);

    abstract io.bricksllm.dialect.ChatError error(int status, MultiMap headers, byte[] body);

    @Override
    public final ResponseMeter answer(Exchange x, int status, MultiMap headers) {
        if (status / 100 != 2) return new ErrorAnswer(status, provider.name(), b -> error(status, headers, b), codecs.openAiErrors()::encode);
        return new JsonRewriteAnswer(x, provider.name(), rewrite(x, headers), metering);
    }

    @Override
    public final UsageDialect callerDialect() {
        return UsageDialect.OPENAI;
    }
}
