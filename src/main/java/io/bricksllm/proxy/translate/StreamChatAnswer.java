package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;
import io.bricksllm.dialect.StreamEncoder;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * A streamed answer in another dialect, rewritten chunk by chunk: each upstream chunk is decoded into canonical
 * events as far as it goes (a partial event waits for its end), and each event is written at once in the caller's
 * API — nothing else is held back, so the caller's first chunk leaves with the upstream's.
 */
final class StreamChatAnswer implements ResponseMeter {
    /** The upstream's stream framing and its dialect's event decoder. */
    interface Decoder {
        List<StreamEvent> feed(Buffer chunk);

        /** The upstream's stream ended: what a last unterminated event still yields. */
        List<StreamEvent> end();
    }

    private final Exchange x;
    private final Decoder decoder;
    private final StreamEncoder encoder;
    private final AnswerMetering metering;
    private final StringBuilder text = new StringBuilder();
    private Usage usage = Usage.NOT_REPORTED;
    private MeterReading reading = MeterReading.NOTHING;
    private boolean finished;
    private boolean ended;

    StreamChatAnswer(Exchange x, Decoder decoder, StreamEncoder encoder, AnswerMetering metering) {
        this.x = x;
        this.decoder = decoder;
        this.encoder = encoder;
        this.metering = metering;
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        return written(decoder.feed(chunk), null);
    }

    @Override
    public Buffer onEnd() {
        if (ended) return Buffer.buffer();
        ended = true;
        Buffer out = written(decoder.end(), null);
        // The trailer (usage chunk, [DONE]) only for a stream that ended whole; a cut one gets the relay's error event.
        if (x.upstreamCompleted) out.appendBytes(encoder.end());
        reading = finished ? metering.reading(x, x.info.model(), usage, text::toString)
                : metering.cutReading(x, x.info.model(), usage, text.toString());
        return out;
    }

    private Buffer written(List<StreamEvent> events, Buffer into) {
        Buffer out = into == null ? Buffer.buffer() : into;
        for (StreamEvent e : events) {
            switch (e) {
                case StreamEvent.TextDelta t -> text.append(t.text());
                case StreamEvent.ToolCallArgumentsDelta a -> text.append(a.text());
                case StreamEvent.UsageUpdate u -> usage = usage.updatedBy(u.usage());
                case StreamEvent.Finish f -> finished = true;
                default -> { }
            }
            out.appendBytes(encoder.encode(e));
        }
        return out;
    }

    /** Whether the upstream said why it stopped (a stream without it was cut). */
    boolean finished() {
        return finished;
    }

    @Override
    public MeterReading reading() {
        return reading;
    }

    @Override
    public String contentType() {
        return "text/event-stream";
    }
}
