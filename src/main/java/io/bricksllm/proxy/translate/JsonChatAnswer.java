package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.Part;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.BodyChunks;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * A whole JSON answer in another dialect: decoded into the canonical response, written in the caller's API and
 * metered from its usage.
 */
final class JsonChatAnswer extends WholeAnswer {
    private static final int MAX_BODY = 32 << 20;

    private final Exchange x;
    private final String provider;
    private final Function<byte[], ChatResponse> decoder;
    private final Function<ChatResponse, byte[]> encoder;
    private final AnswerMetering metering;

    JsonChatAnswer(Exchange x, String provider, Function<byte[], ChatResponse> decoder, Function<ChatResponse, byte[]> encoder,
                   AnswerMetering metering) {
        super(MAX_BODY);
        this.x = x;
        this.provider = provider;
        this.decoder = decoder;
        this.encoder = encoder;
        this.metering = metering;
    }

    @Override
    Buffer finish(BodyChunks body) {
        if (!x.upstreamCompleted) return Buffer.buffer(); // a cut body cannot be decoded: the relay ends the exchange
        byte[] bytes = bytes(body, provider, MAX_BODY);
        ChatResponse response = decoded(provider, () -> decoder.apply(bytes));
        meter(metering.reading(x, x.info.model(), response.usage(), () -> text(response)));
        return Buffer.buffer(encoder.apply(response));
    }

    private static String text(ChatResponse r) {
        StringBuilder b = new StringBuilder();
        for (Part p : r.parts()) {
            if (p instanceof Part.Text t) b.append(t.text());
            else if (p instanceof Part.ToolCall c) b.append(c.name()).append(c.argumentsJson());
        }
        return b.toString();
    }
}
