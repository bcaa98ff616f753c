package io.bricksllm.metering;

/** Receives complete server-sent events from an {@link SseFramer}. */
@FunctionalInterface
public interface SseListener {

    /**
     * @param event the {@code event:} name, {@code "message"} when the event had none (SSE default)
     * @param data  the event's {@code data:} lines joined by {@code "\n"}
     */
    void onEvent(String event, String data);
}
