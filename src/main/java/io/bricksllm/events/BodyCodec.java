package io.bricksllm.events;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;

/**
 * How {@code event_bodies} stores a pair of bodies (issue 20.2): both zstd frames (codec 1) unless together they are
 * smaller than {@link #MIN_COMPRESSED} bytes, where a frame's header would outweigh any saving (codec 0, as is).
 */
final class BodyCodec {
    static final int RAW = 0;
    static final int ZSTD = 1;
    /** Below this many bytes (both bodies) compressing does not pay. */
    static final int MIN_COMPRESSED = 64;
    /** zstd level 1: most of the ratio of the default level at a fraction of its CPU (the writer's budget). */
    private static final int LEVEL = 1;

    private BodyCodec() {}

    /** The codec for this pair. */
    static int choose(byte[] request, byte[] response) {
        return length(request) + length(response) < MIN_COMPRESSED ? RAW : ZSTD;
    }

    /**
     * A compressor for one batch, on one thread: reusing its context halved the cost per body against
     * {@code Zstd.compress} (which sets up and frees a context per call). Not thread-safe; close it after the batch.
     */
    static final class Encoder implements AutoCloseable {
        private final ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(LEVEL);

        byte[] encode(int codec, byte[] body) {
            if (body == null || codec == RAW) return body;
            return ctx.compress(body);
        }

        @Override
        public void close() {
            ctx.close();
        }
    }

    static byte[] decode(int codec, byte[] stored) {
        if (stored == null || codec == RAW) return stored;
        if (codec != ZSTD) throw new IllegalStateException("unknown body codec " + codec);
        long size = Zstd.getFrameContentSize(stored);
        if (size < 0 || size > Integer.MAX_VALUE) throw new IllegalStateException("body frame without a valid size");
        return Zstd.decompress(stored, (int) size);
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }
}
