package io.bricksllm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a key's events through the admin API, polling until the asynchronous writer has stored them. */
public final class Events {
    private Events() {}

    public static List<JsonNode> await(AdminClient admin, String keyId, int count) {
        return await(admin, keyId, count, Duration.ofSeconds(5));
    }

    public static List<JsonNode> await(AdminClient admin, String keyId, int count, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        List<JsonNode> events = List.of();
        while (System.nanoTime() < end) {
            events = fetch(admin, keyId);
            if (events.size() >= count) return events;
            Thread.onSpinWait();
            try {
                Thread.sleep(20); // polling interval of a deadline-bounded wait, not a synchronisation sleep
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("expected " + count + " events for key " + keyId + " within " + deadline + ", found " + events.size());
    }

    /** Polls until {@code count} of the key's events satisfy {@code match}; returns those events. */
    public static List<JsonNode> awaitMatching(AdminClient admin, String keyId, java.util.function.Predicate<JsonNode> match, int count) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<JsonNode> found = List.of();
        while (System.nanoTime() < end) {
            found = fetch(admin, keyId).stream().filter(match).toList();
            if (found.size() >= count) return found;
            try {
                Thread.sleep(20); // polling interval of a deadline-bounded wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("expected " + count + " matching events for key " + keyId + ", found " + found.size());
    }

    /** All of the key's events, oldest first: every page (a test class's shared key may hold more than one page). */
    public static List<JsonNode> fetch(AdminClient admin, String keyId) {
        String query = "/api/events?keyIds=" + keyId + "&start=0&end=" + (System.currentTimeMillis() / 1000 + 3600) + "&includeBodies=true";
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            var r = admin.exchange("GET", cursor == null ? query : query + "&cursor=" + java.net.URLEncoder.encode(cursor,
                    java.nio.charset.StandardCharsets.UTF_8), null);
            if (r.statusCode() != 200) throw new AssertionError("events query failed: " + r.statusCode() + " " + r.body());
            new AdminClient.Reply(r.statusCode(), r.body()).json().forEach(out::add);
            cursor = r.headers().firstValue("X-Next-Cursor").orElse(null);
        } while (cursor != null);
        return out;
    }

    public static JsonNode single(AdminClient admin, String keyId) {
        List<JsonNode> events = await(admin, keyId, 1);
        if (events.size() != 1) throw new AssertionError("expected exactly one event, got " + events.size());
        return events.get(0);
    }
}
