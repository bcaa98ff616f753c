package io.bricksllm.metering;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a server-sent-events byte stream, fed in arbitrary chunks, into events (WHATWG SSE
 * rules: {@code \n}, {@code \r\n} or {@code \r} line ends, {@code event:} and {@code data:}
 * fields, a blank line ends an event, {@code :} starts a comment), in one pass that serves both
 * the usage observer ({@link SseListener}) and, when the gateway must leave an event out, the
 * decision to forward or drop each event's raw bytes ({@link SseEventFilter}, {@link #gate}).
 *
 * <p>{@link #feed} observes bytes the proxy forwards as they are, keeping only the unfinished
 * line. {@link #gate} returns what to forward now and holds back only the unfinished last event,
 * at most {@code maxEventBytes} of it; a longer event is forwarded as it comes (it cannot be the
 * small event a filter drops). An event larger than {@code maxEventBytes} is not observed but
 * counted, instead of growing memory without bound. Not thread-safe: one framer per stream,
 * confined to that stream's event loop.
 */
public final class SseFramer {

    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    private static final String DEFAULT_EVENT = "message";
    private static final Logger LOG = LoggerFactory.getLogger(SseFramer.class);

    private final SseListener listener;
    private final SseEventFilter filter; // null: observe only
    private final int maxEventBytes;

    private byte[] line = new byte[256];
    private int stored;           // bytes of the unfinished line kept in `line`
    private long lineLength;      // its logical length, also counted while discarding
    private boolean afterCr;      // a \r ended the last line; a following \n belongs to it
    private long eventBytes;      // size of the event being assembled, for the cap
    private boolean discarding;   // the current event exceeded the cap; skip to its blank line
    private String eventName;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private long droppedEvents;
    private boolean listenerFailed;
    private boolean kept = true;  // the filter's verdict on the event dispatched last

    // what {@link #gate} tracks, as indexes into the chunk being fed
    private boolean gating;
    private Buffer chunk;
    private Buffer out;           // what gate() returns, when it is not simply a prefix of the chunk
    private int blockStart;       // where the unfinished event starts in the chunk
    private int keptFrom;         // first byte of the chunk neither forwarded nor dropped yet
    private Buffer held;          // the unfinished event's bytes from earlier chunks
    private boolean spilled;      // the unfinished event outgrew maxEventBytes: forwarded as it comes
    private boolean crEndedEvent; // the last event's blank line ended in \r: a \n right after belongs to it
    private boolean lastDropped;

    public SseFramer(SseListener listener) {
        this(listener, null, DEFAULT_MAX_EVENT_BYTES);
    }

    public SseFramer(SseListener listener, int maxEventBytes) {
        this(listener, null, maxEventBytes);
    }

    /** @param filter decides which events {@link #gate} forwards; null when nothing is ever dropped */
    public SseFramer(SseListener listener, SseEventFilter filter, int maxEventBytes) {
        this.listener = Objects.requireNonNull(listener);
        this.filter = filter;
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be positive");
        }
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Observes a chunk and returns what the caller may receive now: the complete events the filter keeps,
     * byte for byte, after the held-back start of the first one. The chunk itself (no copy) when it ends on an
     * event boundary and nothing is dropped or held.
     */
    public Buffer gate(Buffer next) {
        if (filter == null) {
            feed(next);
            return next;
        }
        byte[] bytes = next.getBytes();
        chunk = next;
        out = null;
        blockStart = 0;
        keptFrom = 0;
        gating = true;
        try {
            feed(bytes, 0, bytes.length);
        } finally {
            gating = false;
        }
        int end = bytes.length;
        Buffer result;
        if (spilled) {
            forward(keptFrom, end);
            result = out;
        } else {
            forward(keptFrom, blockStart);
            if (blockStart < end) {
                if (held == null) {
                    held = Buffer.buffer(end - blockStart);
                }
                held.appendBuffer(next, blockStart, end - blockStart);
                if (held.length() > maxEventBytes) { // too big to be the event a filter drops
                    emit(held);
                    held = null;
                    spilled = true;
                }
            }
            result = out;
        }
        chunk = null;
        out = null;
        return result == null ? Buffer.buffer(0) : result;
    }

    /**
     * The upstream closed: observes the unterminated last event (as {@link #end}) and returns its held bytes
     * unless the filter drops it; empty when nothing was held.
     */
    public Buffer finishGate() {
        kept = true;
        end();
        Buffer rest = held;
        held = null;
        boolean keep = kept || spilled;
        spilled = false;
        return rest == null || !keep ? Buffer.buffer(0) : rest;
    }

    public void feed(Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        feed(bytes, 0, bytes.length);
    }

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int end = offset + length;
        int lineStart = offset;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    lineStart = i + 1;
                    if (crEndedEvent) {
                        crEndedEvent = false;
                        blockStart = i + 1; // the \n of the \r\n that ended the last event goes with it
                        if (lastDropped) {
                            keptFrom = i + 1;
                        }
                    }
                    continue;
                }
            }
            crEndedEvent = false;
            if (b == '\n' || b == '\r') {
                boolean eventEnded = completeLine(bytes, lineStart, i);
                lineStart = i + 1;
                afterCr = b == '\r';
                if (eventEnded && gating) {
                    eventEnded(i + 1, afterCr);
                }
            }
        }
        keepTail(bytes, lineStart, end);
    }

    /**
     * The upstream closed. An unterminated last event is still delivered: a stream cut short may
     * already carry the usage we are looking for.
     */
    public void end() {
        if (lineLength > 0) {
            completeLine(line, 0, 0);
        }
        afterCr = false;
        if (!discarding) {
            dispatch();
        }
        discarding = false;
        stored = 0;
        lineLength = 0;
        resetEvent();
    }

    /** A blank line ended an event at {@code end}: forward or drop its bytes. */
    private void eventEnded(int end, boolean endedInCr) {
        boolean keep = kept || spilled;
        kept = true;
        spilled = false;
        if (keep) {
            if (held != null) { // its start came in earlier chunks and nothing of this chunk precedes it
                emit(held);
                held = null;
            }
        } else {
            held = null;
            forward(keptFrom, blockStart);
            keptFrom = end;
        }
        lastDropped = !keep;
        crEndedEvent = endedInCr;
        blockStart = end;
    }

    /** Bytes {@code [from, to)} of the chunk being gated go to the caller. */
    private void forward(int from, int to) {
        if (from >= to) {
            return;
        }
        if (out == null && from == 0 && to == chunk.length()) {
            out = chunk;
        } else {
            emit(chunk.slice(from, to));
        }
    }

    private void emit(Buffer bytes) {
        if (out == null) {
            out = Buffer.buffer(Math.max(bytes.length(), 256));
        } else if (out == chunk) {
            out = Buffer.buffer(chunk.length() + bytes.length()).appendBuffer(chunk);
        }
        out.appendBuffer(bytes);
    }

    /** Events dropped because they exceeded the size cap. */
    public long droppedEvents() {
        return droppedEvents;
    }

    private void keepTail(byte[] bytes, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        lineLength += n;
        if (discarding || checkCap()) {
            return;
        }
        append(bytes, from, to);
    }

    /** The line is the kept tail (if any) followed by {@code bytes[from, to)}; true when it was blank (an event ended). */
    private boolean completeLine(byte[] bytes, int from, int to) {
        long length = lineLength + (to - from);
        lineLength = 0;
        if (discarding) {
            stored = 0;
            if (length == 0) {
                discarding = false;
                resetEvent();
                return true;
            }
            return false;
        }
        if (length > 0) {
            eventBytes += length + 1;
            if (eventBytes > maxEventBytes) {
                startDiscarding();
                return false;
            }
        }
        if (stored == 0) {
            processLine(bytes, from, to);
        } else {
            append(bytes, from, to);
            int n = stored;
            stored = 0;
            processLine(line, 0, n);
        }
        return length == 0;
    }

    private void append(byte[] bytes, int from, int to) {
        int n = to - from;
        if (stored + n > line.length) {
            line = Arrays.copyOf(line, Math.max(stored + n, line.length * 2));
        }
        System.arraycopy(bytes, from, line, stored, n);
        stored += n;
    }

    private boolean checkCap() {
        if (eventBytes + lineLength > maxEventBytes) {
            startDiscarding();
            return true;
        }
        return false;
    }

    private void startDiscarding() {
        discarding = true;
        droppedEvents++;
        stored = 0;
        resetEvent();
    }

    private void processLine(byte[] bytes, int from, int to) {
        if (from == to) {
            dispatch();
            resetEvent();
            return;
        }
        if (bytes[from] == ':') {
            return; // comment, e.g. a keep-alive
        }
        int colon = from;
        while (colon < to && bytes[colon] != ':') {
            colon++;
        }
        int valueStart = colon < to ? colon + 1 : to;
        if (valueStart < to && bytes[valueStart] == ' ') {
            valueStart++;
        }
        if (isField(bytes, from, colon, "data")) {
            data.append(new String(bytes, valueStart, to - valueStart, StandardCharsets.UTF_8)).append('\n');
            hasData = true;
        } else if (isField(bytes, from, colon, "event")) {
            eventName = new String(bytes, valueStart, to - valueStart, StandardCharsets.UTF_8);
        }
        // id, retry and unknown fields do not matter for metering
    }

    private static boolean isField(byte[] bytes, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (bytes[from + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void dispatch() {
        if (!hasData) {
            return;
        }
        data.setLength(data.length() - 1); // the last data line's "\n"
        String name = eventName == null || eventName.isEmpty() ? DEFAULT_EVENT : eventName;
        String text = data.toString();
        if (filter != null) {
            try {
                kept = filter.keep(name, text);
            } catch (RuntimeException e) {
                kept = true; // when in doubt the caller gets the event
            }
        }
        try {
            listener.onEvent(name, text);
        } catch (RuntimeException e) {
            // metering must never break the client's stream; say so once per stream
            if (!listenerFailed) {
                listenerFailed = true;
                LOG.warn("SSE observer failed on a '{}' event; later events are still observed", name, e);
            }
        }
    }

    private void resetEvent() {
        eventName = null;
        data.setLength(0);
        hasData = false;
        eventBytes = 0;
    }
}
