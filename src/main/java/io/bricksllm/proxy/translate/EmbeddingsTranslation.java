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
abstract class EmbeddingsTranslation extends CrossDialect {

    EmbeddingsTranslation(Codecs codecs, AnswerMetering metering, Provider provider, String model) {
        super(codecs, metering, new OpenAiChatIngress(codecs), provider, model);
    }

    @Override
    final Upstream encodeNow(Exchange x) {
        JsonNode caller = callerBody(x);
        return encode(x, caller);
    }

    abstract Upstream encode(Exchange x, JsonNode request);

    /** The upstream's successful answer as OpenAI's embeddings list. */
    abstract UnaryOperator<byte[]> rewrite(Exchange x, MultiMap headers);

    @Override
    public final ResponseMeter answer(Exchange x, int status, MultiMap headers) {
        if (status / 100 != 2) return errorAnswer(status, headers);
        return new JsonRewriteAnswer(x, provider.name(), rewrite(x, headers), metering);
    }
}
