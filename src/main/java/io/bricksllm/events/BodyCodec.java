package io.bricksllm.events;

import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * How {@code event_bodies} stores a body (issue 20.2): an LZ4 block, or as it is when it is short or does not shrink
 * (compressing those costs the event writer CPU for nothing). Each body has its own codec; a row's {@code codec}
 * column packs both ({@link #pack}). LZ4 rather than zstd: on the writer's thread, per body of about 800 bytes, LZ4
 * took 0.4-1.2 µs and zstd level 1 3-5 µs (zstd's context setup alone is ~2 µs), which the writer cannot afford.
 */
final class BodyCodec {
    static final int RAW = 0;
    /** The body's length (4 bytes, little-endian), then one LZ4 block. */
    static final int LZ4 = 1;
    /** Bodies shorter than this are stored as they are: an LZ4 block of them hardly shrinks. */
    static final int MIN_COMPRESSED = 128;

    private static final int LENGTH_BYTES = 4;
    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    /** Stateless and thread-safe: JNI when the bundled natives load, else pure Java. */
    private static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
    /** Checks bounds, so a damaged row fails its read instead of reading outside the block. */
    private static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();

    private BodyCodec() {}

    /** A body as stored, and its codec. */
    record Stored(int codec, byte[] bytes) {}

    /** The codec column of a row: the request's codec in the low four bits, the response's in the next four. */
    static int pack(int requestCodec, int responseCodec) {
        return requestCodec | responseCodec << 4;
    }

    static int requestCodec(int packed) {
        return packed & 0xF;
    }

    static int responseCodec(int packed) {
        return packed >>> 4 & 0xF;
    }

    /** The stored form of a body (null stays null). */
    static Stored encode(byte[] body) {
        if (body == null || body.length < MIN_COMPRESSED) return new Stored(RAW, body);
        int n = body.length;
        byte[] out = new byte[LENGTH_BYTES + COMPRESSOR.maxCompressedLength(n)];
        out[0] = (byte) n;
        out[1] = (byte) (n >>> 8);
        out[2] = (byte) (n >>> 16);
        out[3] = (byte) (n >>> 24);
        int len = LENGTH_BYTES + COMPRESSOR.compress(body, 0, n, out, LENGTH_BYTES, out.length - LENGTH_BYTES);
        return len < n ? new Stored(LZ4, Arrays.copyOf(out, len)) : new Stored(RAW, body);
    }

    static byte[] decode(int codec, byte[] stored) {
        if (stored == null || codec == RAW) return stored;
        if (codec != LZ4) throw new IllegalStateException("unknown body codec " + codec);
        if (stored.length < LENGTH_BYTES) throw new IllegalStateException("LZ4 body without its length");
        int n = (stored[0] & 0xFF) | (stored[1] & 0xFF) << 8 | (stored[2] & 0xFF) << 16 | (stored[3] & 0xFF) << 24;
        if (n < 0) throw new IllegalStateException("LZ4 body with a negative length");
        byte[] out = new byte[n];
        try {
            int got = DECOMPRESSOR.decompress(stored, LENGTH_BYTES, stored.length - LENGTH_BYTES, out, 0, n);
            if (got != n) throw new IllegalStateException("LZ4 body shorter than its recorded length");
        } catch (LZ4Exception e) {
            throw new IllegalStateException("damaged LZ4 body", e);
        }
        return out;
    }
}
