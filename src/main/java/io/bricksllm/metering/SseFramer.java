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
 * fields, a blank line ends an event, {@code :} starts a comment).
 *
 * <p>The proxy has already forwarded the bytes; this is a side observer, so it keeps only the
 * unfinished line, never the stream. An event larger than {@code maxEventBytes} is dropped and
 * counted instead of growing memory without bound. Not thread-safe: one framer per stream,
 * confined to that stream's event loop.
 */
public final class SseFramer {

    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    private static final String DEFAULT_EVENT = "message";
    private static final Logger LOG = LoggerFactory.getLogger(SseFramer.class);

    private final SseListener listener;
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

    public SseFramer(SseListener listener) {
        this(listener, DEFAULT_MAX_EVENT_BYTES);
    }

    public SseFramer(SseListener listener, int maxEventBytes) {
        this.listener = Objects.requireNonNull(listener);
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be positive");
        }
        this.maxEventBytes = maxEventBytes;
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
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                completeLine(bytes, lineStart, i);
                lineStart = i + 1;
                afterCr = b == '\r';
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

    /** The line is the kept tail (if any) followed by {@code bytes[from, to)}. */
    private void completeLine(byte[] bytes, int from, int to) {
        long length = lineLength + (to - from);
        lineLength = 0;
        if (discarding) {
            stored = 0;
            if (length == 0) {
                discarding = false;
                resetEvent();
            }
            return;
        }
        if (length > 0) {
            eventBytes += length + 1;
            if (eventBytes > maxEventBytes) {
                startDiscarding();
                return;
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
        try {
            listener.onEvent(name, data.toString());
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
