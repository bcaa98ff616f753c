package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.metering.SseFramer;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** A server-sent-event stream decoded event by event with the gateway's one SSE framer (CR, LF and CRLF lines). */
final class SseEvents implements StreamChatAnswer.Decoder {
    private final List<StreamEvent> pending = new ArrayList<>();
    private final SseFramer framer;

    /** {@code decode}: the dialect's decoder of one event (its name, its data). */
    SseEvents(BiFunction<String, String, List<StreamEvent>> decode) {
        this.framer = new SseFramer((event, data) -> pending.addAll(decode.apply(event, data)));
    }

    @Override
    public List<StreamEvent> feed(Buffer chunk) {
        framer.feed(chunk);
        return drain();
    }

    @Override
    public List<StreamEvent> end() {
        framer.end();
        return drain();
    }

    private List<StreamEvent> drain() {
        if (pending.isEmpty()) return List.of();
        List<StreamEvent> out = List.copyOf(pending);
        pending.clear();
        return out;
    }
}
