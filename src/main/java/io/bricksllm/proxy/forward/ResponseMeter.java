package io.bricksllm.proxy.forward;

import io.vertx.core.buffer.Buffer;

/**
 * Watches one upstream response as it is relayed. Chunks are forwarded first and observed on the
 * side; a meter may hold back at most one unfinished SSE event when it must drop an event.
 */
public interface ResponseMeter {
    /** Observes a chunk and returns what to send to the client now (usually the same buffer). */
    Buffer onChunk(Buffer chunk);

    /** The upstream finished (or failed, or the client left): what is still held back, may be empty. */
    Buffer onEnd();

    /** What was metered; valid after {@link #onEnd()}. */
    MeterReading reading();

    /**
     * The content type of what this meter hands the caller when it rewrites the answer into another dialect (then
     * the upstream's length and encoding no longer apply); null when the bytes pass in the upstream's own format.
     */
    default String contentType() {
        return null;
    }

    ResponseMeter NONE = new ResponseMeter() {
        @Override
        public Buffer onChunk(Buffer chunk) {
            return chunk;
        }

        @Override
        public Buffer onEnd() {
            return Buffer.buffer();
        }

        @Override
        public MeterReading reading() {
            return MeterReading.NOTHING;
        }
    };
}
