package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.bedrock.TitanEmbeddingCall;
import io.bricksllm.provider.Provider;
import io.bricksllm.proxy.Exchange;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** OpenAI embeddings → Amazon Titan text embeddings on Bedrock ({@code InvokeModel}, one text per call). */
final class TitanEmbeddings extends EmbeddingsTranslation {
    private TitanEmbeddingCall call;

    TitanEmbeddings(Codecs codecs, AnswerMetering metering, Provider provider, String model) {
        super(codecs, metering, provider, model);
    }

    @Override
    Upstream encode(Exchange x, JsonNode request) {
        call = codecs.titanRequests().encode(request, model);
        return new Upstream(call.path(), Bodies.of(codecs.json(), call.body()),
                Map.of("Content-Type", "application/json", "Accept", "application/json"), false);
    }

    @Override
    UnaryOperator<byte[]> rewrite(Exchange x, MultiMap headers) {
        TitanEmbeddingCall sent = call;
        return body -> codecs.titanAnswers().decode(body, model, sent);
    }

    @Override
    ChatError error(int status, MultiMap headers, byte[] body) {
        return codecs.bedrockErrors().decode(status, headers.get("x-amzn-ErrorType"), body);
    }
}
