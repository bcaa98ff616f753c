package io.bricksllm.events.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.events.Event;
import io.bricksllm.events.EventJson;
import io.bricksllm.store.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * A batch's body: one event per line, in the admin API's JSON shape ({@link EventJson}), {@code request} and
 * {@code response} (base64) present only when the event carries them (the key logs them), each line ended by {@code \n}.
 */
final class NdjsonBatch {
    static final String CONTENT_TYPE = "application/x-ndjson";

    private NdjsonBatch() {}

    static byte[] encode(List<Event> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 512);
        try {
            for (Event e : events) {
                out.write(Json.MAPPER.writeValueAsBytes(line(e)));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an event", e);
        }
        return out.toByteArray();
    }

    static ObjectNode line(Event e) {
        ObjectNode n = EventJson.toJson(e, false);
        // an absent body is left out rather than shown as the admin API's "{}": the receiver can tell "not logged"
        if (e.request() != null) n.put("request", Base64.getEncoder().encodeToString(e.request()));
        if (e.response() != null) n.put("response", Base64.getEncoder().encodeToString(e.response()));
        return n;
    }
}
