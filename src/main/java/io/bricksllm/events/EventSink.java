package io.bricksllm.events;

/** Where the request path hands finished events. Must never block the caller. */
public interface EventSink {
    /** Enqueues the event; returns false only when it had to be diverted (queue full → spool). */
    boolean publish(Event event);
}
