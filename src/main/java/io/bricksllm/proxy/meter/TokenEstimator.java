package io.bricksllm.proxy.meter;

import com.knuddels.jtokkit.api.EncodingType;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.proxy.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;

/**
 * The tokens a token limit reserves at admission (issue 19.2): the prompt counted by the tokenizer plus the output the
 * request may write ({@link PriceEstimator#outputTokens}: its cap, else {@code DEFAULT_OUTPUT_TOKENS}). The whole body
 * is counted — JSON punctuation, tool schemas and all — with o200k: within a few percent of what providers bill for a
 * chat prompt (a little over for short messages). Only asked when a level has a token limit. Bodies above
 * {@value #INLINE_BYTES} bytes are counted on a worker thread: the tokenizer takes ~9 ms for 30 KB, too long for an
 * event loop.
 */
public final class TokenEstimator {
    static final int INLINE_BYTES = 2_048;

    private final Vertx vertx;
    private final TokenCounter counter;
    private final PriceEstimator prices;

    public TokenEstimator(Vertx vertx, TokenCounter counter, PriceEstimator prices) {
        this.vertx = vertx;
        this.counter = counter;
        this.prices = prices;
    }

    public Future<Long> estimate(Exchange x) {
        long output = prices.outputTokens(x);
        if (x.body == null || x.body.length() == 0 || !x.endpoint.operation().hasTextPrompt()) return Future.succeededFuture(output);
        byte[] bytes = x.body.getBytes();
        if (bytes.length <= INLINE_BYTES) return Future.succeededFuture(output + count(bytes));
        return vertx.executeBlocking(() -> output + count(bytes), false);
    }

    private long count(byte[] body) {
        return counter.countText(EncodingType.O200K_BASE, new String(body, StandardCharsets.UTF_8));
    }
}
