package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseFramerTest {

    private final List<String> events = new ArrayList<>();

    private SseFramer framer(int maxEventBytes) {
        return new SseFramer((event, data) -> events.add(event + "|" + data), maxEventBytes);
    }

    private List<String> frame(String stream) {
        SseFramer framer = framer(SseFramer.DEFAULT_MAX_EVENT_BYTES);
        framer.feed(stream.getBytes(StandardCharsets.UTF_8));
        framer.end();
        return events;
    }

    @Test
    void data_lines_of_one_event_are_joined_by_newlines() {
        assertThat(frame("data: one\ndata: two\n\ndata:three\n\n")).containsExactly("message|one\ntwo", "message|three");
    }

    @Test
    void event_names_apply_to_their_event_only() {
        assertThat(frame("event: message_start\ndata: {}\n\ndata: x\n\n"))
                .containsExactly("message_start|{}", "message|x");
    }

    @Test
    void only_one_leading_space_is_removed_and_comments_ids_and_retries_are_ignored() {
        assertThat(frame(": hello\nid: 7\nretry: 10\ndata:  two spaces\n\n")).containsExactly("message| two spaces");
    }

    @Test
    void a_bare_data_field_is_an_empty_line_of_data() {
        assertThat(frame("data\ndata: x\n\ndata:\n\n")).containsExactly("message|\nx", "message|");
    }

    @Test
    void blank_lines_without_data_dispatch_nothing() {
        assertThat(frame("\n\n\nevent: ping\n\n: c\n\n")).isEmpty();
    }

    @Test
    void an_unterminated_last_event_is_still_delivered_at_the_end() {
        assertThat(frame("data: a\n\ndata: {\"usage\":1}")).containsExactly("message|a", "message|{\"usage\":1}");
    }

    @Test
    void crlf_split_between_its_two_bytes_is_one_line_end() {
        SseFramer framer = framer(1024);
        framer.feed("data: a\r".getBytes(StandardCharsets.UTF_8));
        framer.feed("\n\r".getBytes(StandardCharsets.UTF_8));
        framer.feed("\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8));

        assertThat(events).containsExactly("message|a", "message|b");
    }

    @Test
    void multibyte_characters_split_across_chunks_survive() {
        byte[] bytes = "data: 👋é\n\n".getBytes(StandardCharsets.UTF_8);
        SseFramer framer = framer(1024);
        for (byte b : bytes) {
            framer.feed(new byte[] {b});
        }

        assertThat(events).containsExactly("message|👋é");
    }

    @Test
    void vertx_buffers_and_array_slices_can_be_fed() {
        SseFramer framer = framer(1024);
        framer.feed(Buffer.buffer("data: a\n"));
        byte[] padded = "XXdata: b\n\nYY".getBytes(StandardCharsets.UTF_8);
        framer.feed(padded, 2, padded.length - 4);

        assertThat(events).containsExactly("message|a\nb");
    }

    @Test
    void an_event_over_the_cap_is_dropped_and_counted_and_the_next_one_delivered() {
        String big = "x".repeat(200);
        String stream = "data: small\n\n" + "event: huge\ndata: " + big + "\ndata: more\n\n" + "data: after\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);

        for (int split = 0; split <= bytes.length; split++) {
            events.clear();
            SseFramer framer = framer(100);
            framer.feed(bytes, 0, split);
            framer.feed(bytes, split, bytes.length - split);
            framer.end();

            assertThat(events).as("split at %d", split).containsExactly("message|small", "message|after");
            assertThat(framer.droppedEvents()).isEqualTo(1);
        }
    }

    @Test
    void the_cap_counts_the_whole_event_not_just_one_line() {
        SseFramer framer = framer(50);
        framer.feed(("data: " + "a".repeat(20) + "\ndata: " + "b".repeat(20) + "\ndata: " + "c".repeat(20) + "\n\ndata: ok\n\n")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(events).containsExactly("message|ok");
        assertThat(framer.droppedEvents()).isEqualTo(1);
    }

    @Test
    void an_event_exactly_at_the_cap_is_kept() {
        String line = "data: " + "a".repeat(13); // 19 bytes + its line end = 20
        SseFramer framer = framer(20);
        framer.feed((line + "\n\n").getBytes(StandardCharsets.UTF_8));

        assertThat(events).containsExactly("message|" + "a".repeat(13));
        assertThat(framer.droppedEvents()).isZero();
    }

    @Test
    void an_observer_failure_does_not_stop_the_framer() {
        SseFramer framer = new SseFramer((event, data) -> {
            if (data.equals("boom")) {
                throw new IllegalStateException("observer bug");
            }
            events.add(data);
        });
        framer.feed("data: boom\n\ndata: fine\n\n".getBytes(StandardCharsets.UTF_8));

        assertThat(events).containsExactly("fine");
    }

    private SseFramer gateDroppingUsage(int maxEventBytes) {
        return new SseFramer((event, data) -> events.add(event + "|" + data), (event, data) -> !data.contains("usage"), maxEventBytes);
    }

    private static String text(Buffer b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_gate_forwards_whole_events_as_the_same_buffer_and_holds_back_only_the_unfinished_one() {
        SseFramer gate = gateDroppingUsage(1024);
        Buffer whole = Buffer.buffer("data: a\n\ndata: b\n\n");
        assertThat(gate.gate(whole)).as("no copy when nothing is dropped or held").isSameAs(whole);

        assertThat(text(gate.gate(Buffer.buffer("data: c\n\ndata: d")))).isEqualTo("data: c\n\n");
        assertThat(text(gate.gate(Buffer.buffer("\n\n: ping\n\n")))).isEqualTo("data: d\n\n: ping\n\n");
        assertThat(events).containsExactly("message|a", "message|b", "message|c", "message|d");
    }

    @Test
    void a_gate_drops_the_filtered_event_which_its_observer_still_sees() {
        SseFramer gate = gateDroppingUsage(1024);
        String forwarded = text(gate.gate(Buffer.buffer("data: a\r\n\r\ndata: {\"usage\":1}\r\n\r")))
                + text(gate.gate(Buffer.buffer("\ndata: b\r\n\r\ndata: {\"usage\":2}")))
                + text(gate.finishGate());

        assertThat(forwarded).isEqualTo("data: a\r\n\r\ndata: b\r\n\r\n");
        assertThat(events).containsExactly("message|a", "message|{\"usage\":1}", "message|b", "message|{\"usage\":2}");
    }

    @Test
    void a_gate_forwards_an_event_over_the_cap_as_it_comes_instead_of_holding_it() {
        SseFramer gate = gateDroppingUsage(64);
        String big = "data: usage " + "x".repeat(100);
        String first = text(gate.gate(Buffer.buffer(big.substring(0, 40))));
        assertThat(first).as("under the cap: held").isEmpty();
        String second = text(gate.gate(Buffer.buffer(big.substring(40))));
        assertThat(first + second).as("over the cap: forwarded, never dropped").isEqualTo(big);
        assertThat(text(gate.gate(Buffer.buffer("\n\ndata: ok\n\n")))).isEqualTo("\n\ndata: ok\n\n");
        assertThat(events).containsExactly("message|ok");
    }

    @Test
    void a_failing_filter_forwards_the_event() {
        SseFramer gate = new SseFramer((event, data) -> events.add(data), (event, data) -> {
            throw new IllegalStateException("filter bug");
        }, 1024);

        assertThat(text(gate.gate(Buffer.buffer("data: a\n\n")))).isEqualTo("data: a\n\n");
        assertThat(events).containsExactly("a");
    }
}
