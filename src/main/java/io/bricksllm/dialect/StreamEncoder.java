package io.bricksllm.dialect;

/**
 * The caller's side of a translated stream: canonical events in, the caller dialect's SSE bytes out, one event at a
 * time. One instance per stream; not thread-safe.
 */
public interface StreamEncoder {

    /** The bytes for one event; empty when it shows up later (usage, stop reason) or never (after a failure). */
    byte[] encode(StreamEvent event);

    /** The trailer of a stream that ended whole (final usage, end marker). */
    byte[] end();
}
