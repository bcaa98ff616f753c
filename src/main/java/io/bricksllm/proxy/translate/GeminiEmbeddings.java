package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.gemini.GeminiEmbeddingsCall;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.provider.Provider;
import io.bricksllm.proxy.Exchange;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * OpenAI embeddings → Gemini {@code batchEmbedContents}. Gemini reports no token counts for embeddings, so the
 * gateway counts the inputs and reports (and prices) that count.
 */
final class GeminiEmbeddings extends EmbeddingsTranslation {
    private final TokenCounter tokens;
    private GeminiEmbeddingsCall call;

    GeminiEmbeddings(Codecs codecs, AnswerMetering metering, TokenCounter tokens, Provider provider, String model) {
        super(codecs, metering, provider, model);
        this.tokens = tokens;
    }

    @Override
    Upstream encode(Exchange x, JsonNode request) {
        call = codecs.geminiEmbeddings().encode(request, model);
        return new Upstream(call.path(), Bodies.of(codecs.json(), call.body()), Map.of("Content-Type", "application/json"), false);
    }

    @Override
    UnaryOperator<byte[]> rewrite(Exchange x, MultiMap headers) {
        GeminiEmbeddingsCall sent = call;
        return body -> {
            long prompt = 0;
            if (tokens != null) for (String input : sent.inputs()) prompt += tokens.countText(model, input);
            return codecs.geminiEmbeddingAnswers().decode(body, sent, model, prompt);
        };
    }

    @Override
    ChatError error(int status, MultiMap headers, byte[] body) {
        return codecs.geminiErrors().decode(status, body);
    }
}
