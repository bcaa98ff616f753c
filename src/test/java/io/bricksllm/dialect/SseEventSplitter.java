package io.bricksllm.dialect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Test-only SSE framing: bytes in any pieces, complete events out as (event name, data). Decodes
 * text only once an event is complete, so a piece may end inside a multi-byte character.
 */
public final class SseEventSplitter {

    private final BiConsumer<String, String> onEvent;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public SseEventSplitter(BiConsumer<String, String> onEvent) {
        this.onEvent = onEvent;
    }

    public void feed(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
        byte[] buffered = pending.toByteArray();
        int start = 0;
        for (int i = 0; i + 1 < buffered.length; i++) {
            if (buffered[i] == '\n' && buffered[i + 1] == '\n') {
                emit(new String(buffered, start, i - start, StandardCharsets.UTF_8));
                start = i + 2;
                i++;
            }
        }
        pending.reset();
        pending.write(buffered, start, buffered.length - start);
    }

    /** Feeds {@code bytes} cut at each offset of {@code splits} (ascending), then ends: one transport's chunking. */
    public void feedSplitAt(byte[] bytes, java.util.List<Integer> splits) {
        int from = 0;
        for (int split : splits) {
            feed(bytes, from, split - from);
            from = split;
        }
        feed(bytes, from, bytes.length - from);
        end();
    }

    public void end() {
        if (pending.size() > 0) {
            emit(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }
    }

    private void emit(String block) {
        String event = null;
        StringBuilder data = null;
        for (String line : block.split("\n")) {
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                String value = line.substring(5);
                value = value.startsWith(" ") ? value.substring(1) : value;
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        if (data != null) {
            onEvent.accept(event, data.toString());
        }
    }
}
