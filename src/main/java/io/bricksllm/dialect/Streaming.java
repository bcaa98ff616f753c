package io.bricksllm.dialect;

/** Whether the caller wants SSE, and whether it asked for a final usage chunk. */
public record Streaming(boolean stream, boolean includeUsage) {

    public static final Streaming OFF = new Streaming(false, false);
}
