package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.openai.OpenAiResponseEncoder;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.forward.BodyChunks;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * A whole JSON answer in another dialect: read to its end (a JSON object cannot be rewritten before it is whole),
 * decoded into the canonical response, written as OpenAI's chat completion and metered from its usage.
 */
final class JsonChatAnswer implements ResponseMeter {
    private static final int MAX_BODY = 32 << 20;

    private final Exchange x;
    private final String provider;
    private final Function<byte[], ChatResponse> decoder;
    private final OpenAiResponseEncoder encoder;
    private final AnswerMetering metering;
    private final BodyChunks body = new BodyChunks(MAX_BODY);
    private MeterReading reading = MeterReading.NOTHING;
    private boolean ended;

    JsonChatAnswer(Exchange x, String provider, Function<byte[], ChatResponse> decoder, OpenAiResponseEncoder encoder,
                   AnswerMetering metering) {
        this.x = x;
        this.provider = provider;
        this.decoder = decoder;
        this.encoder = encoder;
        this.metering = metering;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        body.add(chunk);
        return Buffer.buffer();
    }

    @Override
    public Buffer onEnd() {
        if (ended || !x.upstreamCompleted) return Buffer.buffer(); // a cut body cannot be decoded: the relay ends it
        ended = true;
        if (body.overflowed()) throw unreadable("larger than " + (MAX_BODY >> 20) + " MiB");
        ChatResponse response;
        try {
            response = decoder.apply(body.bytes());
        } catch (MalformedUpstreamException e) {
            throw unreadable(e.getMessage());
        }
        String model = x.info.model();
        reading = metering.reading(x, model, response.usage(), () -> text(response));
        return Buffer.buffer(encoder.encode(response, x.receivedAt.getEpochSecond()));
    }

    private Refusal.Refused unreadable(String why) {
        return new Refusal.Refused(new Refusal.UpstreamUnreachable("upstream " + provider + " answered with a body the gateway cannot read: " + why));
    }

    private static String text(ChatResponse r) {
        StringBuilder b = new StringBuilder();
        for (Part p : r.parts()) {
            if (p instanceof Part.Text t) b.append(t.text());
            else if (p instanceof Part.ToolCall c) b.append(c.name()).append(c.argumentsJson());
        }
        return b.toString();
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
