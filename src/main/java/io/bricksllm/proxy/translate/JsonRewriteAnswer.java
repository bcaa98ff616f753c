package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.metering.OpenAiUsage;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.forward.BodyChunks;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.buffer.Buffer;
import java.util.function.UnaryOperator;

/**
 * A whole JSON answer rewritten into OpenAI's shape by a dialect (embeddings), then metered from the {@code usage}
 * of the rewritten body, or counted when it has none.
 */
final class JsonRewriteAnswer implements ResponseMeter {
    private static final int MAX_BODY = 64 << 20;

    private final Exchange x;
    private final String provider;
    private final UnaryOperator<byte[]> rewrite;
    private final AnswerMetering metering;
    private final BodyChunks body = new BodyChunks(MAX_BODY);
    private MeterReading reading = MeterReading.NOTHING;
    private boolean ended;

    JsonRewriteAnswer(Exchange x, String provider, UnaryOperator<byte[]> rewrite, AnswerMetering metering) {
        this.x = x;
        this.provider = provider;
        this.rewrite = rewrite;
        this.metering = metering;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        body.add(chunk);
        return Buffer.buffer();
    }

    @Override
    public Buffer onEnd() {
        if (ended || !x.upstreamCompleted) return Buffer.buffer();
        ended = true;
        byte[] out;
        try {
            if (body.overflowed()) throw new MalformedUpstreamException("larger than " + (MAX_BODY >> 20) + " MiB");
            out = rewrite.apply(body.bytes());
        } catch (MalformedUpstreamException e) {
            throw new Refusal.Refused(new Refusal.UpstreamUnreachable(
                    "upstream " + provider + " answered with a body the gateway cannot read: " + e.getMessage()));
        }
        reading = metering.reading(x, x.info.model(), OpenAiUsage.fromResponse(out).usage(), () -> "");
        return Buffer.buffer(out);
    }

    @Override
    public MeterReading reading() {
        return reading;
    }

    @Override
    public String contentType() {
        return "application/json";
    }
}
