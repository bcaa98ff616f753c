package io.bricksllm.proxy.forward;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;

/**
 * A response body kept as the chunks it arrived in and joined once, when it is read. Vert.x hands every read over
 * as a buffer of its own, so keeping the reference costs nothing, where appending to one growing buffer copied
 * each body twice more (growth, then {@code getBytes}) for the meter and again for the logged copy.
 * Bounded: past {@code limit} bytes the body is marked as overflowed and what was kept is a prefix of it.
 */
public final class BodyChunks {
    private final int limit;
    private final ArrayList<Buffer> chunks = new ArrayList<>(2);
    private int length;
    private boolean overflowed;
    private byte[] joined;

    public BodyChunks(int limit) {
        this.limit = limit;
    }

    /** Keeps the chunk unless the body would pass the limit; from then on nothing more is kept. */
    public void add(Buffer chunk) {
        if (overflowed || chunk.length() == 0) return;
        if (length + chunk.length() > limit) {
            overflowed = true;
            return;
        }
        chunks.add(chunk);
        length += chunk.length();
        joined = null;
    }

    public boolean overflowed() {
        return overflowed;
    }

    public int length() {
        return length;
    }

    /** The kept bytes, joined on the first call after a change. */
    public byte[] bytes() {
        if (joined == null) {
            byte[] out = new byte[length];
            int at = 0;
            for (Buffer c : chunks) {
                c.getBytes(out, at);
                at += c.length();
            }
            joined = out;
        }
        return joined;
    }
}
