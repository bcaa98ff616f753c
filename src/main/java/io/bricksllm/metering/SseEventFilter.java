package io.bricksllm.metering;

/** Decides, for each complete server-sent event, whether the caller still receives it (see {@link SseFramer#gate}). */
@FunctionalInterface
public interface SseEventFilter {

    /**
     * @param event the {@code event:} name, {@code "message"} by default
     * @param data  the event's {@code data:} lines joined by {@code "\n"}
     * @return false to leave the event's bytes out of what is forwarded
     */
    boolean keep(String event, String data);
}
