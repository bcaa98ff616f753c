package io.bricksllm.proxy.translate;

import io.bricksllm.metering.OpenAiUsage;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.BodyChunks;
import io.vertx.core.buffer.Buffer;
import java.util.function.UnaryOperator;

/**
 * A whole JSON answer rewritten into OpenAI's shape by a dialect (embeddings), then metered from the {@code usage}
 * of the rewritten body, or counted when it has none.
 */
final class JsonRewriteAnswer extends WholeAnswer {
    private static final int MAX_BODY = 64 << 20;

    private final Exchange x;
    private final String provider;
    private final UnaryOperator<byte[]> rewrite;
    private final AnswerMetering metering;

    JsonRewriteAnswer(Exchange x, String provider, UnaryOperator<byte[]> rewrite, AnswerMetering metering) {
        super(MAX_BODY);
        this.x = x;
        this.provider = provider;
        this.rewrite = rewrite;
        this.metering = metering;
    }

    @Override
    Buffer finish(BodyChunks body) {
        if (!x.upstreamCompleted) return Buffer.buffer();
        byte[] bytes = bytes(body, provider, MAX_BODY);
        byte[] out = decoded(provider, () -> rewrite.apply(bytes));
        meter(metering.reading(x, x.info.model(), OpenAiUsage.fromResponse(out).usage(), () -> ""));
        return Buffer.buffer(out);
    }
}
