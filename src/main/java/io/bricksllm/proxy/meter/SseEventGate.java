package io.bricksllm.proxy.meter;

import io.vertx.core.buffer.Buffer;
import java.util.function.Predicate;

/**
 * Splits a byte stream into whole SSE events (blank-line terminated) so that one event can be left out;
 * only the unfinished last event is held back. Used only when the gateway must remove the usage chunk
 * it asked for; otherwise chunks are forwarded untouched.
 */
final class SseEventGate {
    private final Predicate<Buffer> drop;
    private Buffer pending = Buffer.buffer();

    SseEventGate(Predicate<Buffer> drop) {
        this.drop = drop;
    }

    /** Returns the complete events of {@code chunk} (plus what was pending) that are not dropped. */
    Buffer accept(Buffer chunk) {
        pending.appendBuffer(chunk);
        Buffer out = Buffer.buffer(pending.length());
        int start = 0;
        int len = pending.length();
        for (int i = 0; i < len; i++) {
            if (pending.getByte(i) != '\n') continue;
            int next = i + 1;
            boolean blank = next < len && pending.getByte(next) == '\n';
            boolean crlfBlank = next + 1 < len && pending.getByte(next) == '\r' && pending.getByte(next + 1) == '\n';
            if (!blank && !crlfBlank) continue;
            int end = blank ? next + 1 : next + 2;
            Buffer event = pending.getBuffer(start, end);
            if (!drop.test(event)) out.appendBuffer(event);
            start = end;
            i = end - 1;
        }
        pending = start == 0 ? pending : pending.getBuffer(start, len);
        return out;
    }

    /** Whatever was still pending at the end of the stream. */
    Buffer rest() {
        Buffer r = pending;
        pending = Buffer.buffer();
        return r;
    }
}
