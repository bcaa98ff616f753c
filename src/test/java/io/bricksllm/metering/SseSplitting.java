package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Feeds a stream whole, split at every byte offset, and byte by byte; all must observe the same. */
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
        return whole;
    }

    private static Observed observe(Supplier<StreamUsageObserver> observers, byte[] bytes, List<Integer> splits) {
        StreamUsageObserver observer = observers.get();
        List<String> events = new ArrayList<>();
        SseFramer framer = new SseFramer((event, data) -> {
            events.add(event + "|" + data);
            observer.onEvent(event, data);
        });
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
