package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.forward.BodyChunks;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.buffer.Buffer;

/**
 * An answer read whole (bounded) before the caller gets anything: a JSON object or an error body in another dialect
 * cannot be rewritten in parts. Subclasses write the caller's body once the upstream's has ended.
 */
abstract class WholeAnswer implements ResponseMeter {
    private final BodyChunks body;
    private MeterReading reading = MeterReading.NOTHING;
    private boolean ended;

    WholeAnswer(int maxBytes) {
        this.body = new BodyChunks(maxBytes);
    }

    @Override
    public Buffer onChunk(Buffer chunk) {
        body.add(chunk);
        return Buffer.buffer();
    }

    @Override
    public final Buffer onEnd() {
        if (ended) return Buffer.buffer();
        ended = true;
        return finish(body);
    }

    /** The caller's body (empty when nothing is to be written); may {@link #meter} what the answer used. */
    abstract Buffer finish(BodyChunks body);

    final void meter(MeterReading r) {
        reading = r;
    }

    @Override
    public final MeterReading reading() {
        return reading;
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    /** The upstream answered 2xx with what its dialect cannot be: the caller gets a 502, never a half-translated body. */
    static Refusal.Refused unreadable(String provider, String why) {
        return new Refusal.Refused(new Refusal.UpstreamUnreachable("upstream " + provider + " answered with a body the gateway cannot read: " + why));
    }

    /** The body's bytes, or a refusal when it outgrew the bound. */
    static byte[] bytes(BodyChunks body, String provider, int maxBytes) {
        if (body.overflowed()) throw unreadable(provider, "larger than " + (maxBytes >> 20) + " MiB");
        return body.bytes();
    }

    /** Decodes with a dialect decoder, turning its complaint into {@link #unreadable}. */
    static <T> T decoded(String provider, java.util.function.Supplier<T> decode) {
        try {
            return decode.get();
        } catch (MalformedUpstreamException e) {
            throw unreadable(provider, e.getMessage());
        }
    }
}
