package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Feeds a stream whole, split at every byte offset, and byte by byte; all must observe the same. Each split is also
 * gated ({@link SseFramer#gate}, dropping the events that carry usage): the observer still sees every event, what is
 * forwarded is the stream without those events byte for byte, and after each chunk everything up to the last complete
 * event has been forwarded (only the unfinished event is held back).
 */
final class SseSplitting {

    record Observed(List<String> events, Object usage, String text, Object model) {
    }

    private SseSplitting() {
    }

    static Observed observeEverySplit(String stream, Supplier<StreamUsageObserver> observers) {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        Observed whole = observe(observers, bytes, List.of());
        for (int split = 0; split <= bytes.length; split++) {
            assertThat(observe(observers, bytes, List.of(split))).as("split at byte %d", split).isEqualTo(whole);
        }
        List<Integer> everyByte = new ArrayList<>();
        for (int i = 1; i < bytes.length; i++) {
            everyByte.add(i);
        }
        assertThat(observe(observers, bytes, everyByte)).as("byte by byte").isEqualTo(whole);
        for (int split = 0; split <= bytes.length; split++) {
            assertThat(gate(observers, bytes, List.of(split))).as("gated, split at byte %d", split).isEqualTo(whole);
        }
        assertThat(gate(observers, bytes, everyByte)).as("gated byte by byte").isEqualTo(whole);
        return whole;
    }

    /** Passes each event to {@code observer} and records it as {@code name|data}. */
    private static SseListener recording(StreamUsageObserver observer, List<String> events) {
        return (event, data) -> {
            events.add(event + "|" + data);
            observer.onEvent(event, data);
        };
    }

    private static boolean carriesUsage(String rawOrData) {
        return rawOrData.contains("\"usage\"");
    }

    /** Gates the stream cut at {@code splits}, checks what is forwarded after each chunk and at the end. */
    private static Observed gate(Supplier<StreamUsageObserver> observers, byte[] bytes, List<Integer> splits) {
        StreamUsageObserver observer = observers.get();
        List<String> events = new ArrayList<>();
        SseFramer framer = new SseFramer(recording(observer, events), (event, data) -> !carriesUsage(data),
                SseFramer.DEFAULT_MAX_EVENT_BYTES);
        StringBuilder forwarded = new StringBuilder();
        int from = 0;
        List<Integer> ends = new ArrayList<>(splits);
        ends.add(bytes.length);
        for (int split : ends) {
            forwarded.append(latin1(framer.gate(Buffer.buffer(Arrays.copyOfRange(bytes, from, split)))));
            from = split;
            String fedSoFar = new String(bytes, 0, split, StandardCharsets.ISO_8859_1);
            assertThat(forwarded.toString()).as("forwarded after %d bytes", split).isEqualTo(withoutUsage(fedSoFar, false));
        }
        forwarded.append(latin1(framer.finishGate()));
        assertThat(forwarded.toString()).as("forwarded at the end")
                .isEqualTo(withoutUsage(new String(bytes, StandardCharsets.ISO_8859_1), true));
        return new Observed(events, observer.usage(), observer.text(), observer.model());
    }

    private static String latin1(Buffer b) {
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * A plain reference for the gate: the stream's events (each with the blank line that ends it; line ends are
     * {@code \r\n}, {@code \r} or {@code \n}) minus those carrying usage; the unterminated last one only at the end.
     */
    static String withoutUsage(String stream, boolean atEnd) {
        StringBuilder out = new StringBuilder();
        int eventStart = 0;
        int lineStart = 0;
        int i = 0;
        while (i < stream.length()) {
            char c = stream.charAt(i);
            if (c != '\r' && c != '\n') {
                i++;
                continue;
            }
            int next = c == '\r' && i + 1 < stream.length() && stream.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            if (i == lineStart) { // a blank line ends the event
                String event = stream.substring(eventStart, next);
                if (!carriesUsage(event)) {
                    out.append(event);
                }
                eventStart = next;
            }
            lineStart = next;
            i = next;
        }
        String tail = stream.substring(eventStart);
        if (atEnd && !carriesUsage(tail)) {
            out.append(tail);
        }
        return out.toString();
    }

    private static Observed observe(Supplier<StreamUsageObserver> observers, byte[] bytes, List<Integer> splits) {
        StreamUsageObserver observer = observers.get();
        List<String> events = new ArrayList<>();
        SseFramer framer = new SseFramer(recording(observer, events));
        int from = 0;
        for (int split : splits) {
            framer.feed(bytes, from, split - from);
            from = split;
        }
        framer.feed(bytes, from, bytes.length - from);
        framer.end();
        return new Observed(events, observer.usage(), observer.text(), observer.model());
    }
}
