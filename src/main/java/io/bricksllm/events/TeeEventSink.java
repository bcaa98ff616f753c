package io.bricksllm.events;

/**
 * Hands every event to two independent sinks (the database pipeline and an export), in that order. Neither waits for
 * the other; each keeps its own queue and spool.
 */
public record TeeEventSink(EventSink first, EventSink second) implements EventSink {
    /** False when either sink had to divert the event to its spool. */
    @Override
    public boolean publish(Event event) {
        boolean a = first.publish(event);
        boolean b = second.publish(event);
        return a && b;
    }
}
