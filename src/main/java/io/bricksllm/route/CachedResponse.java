package io.bricksllm.route;

/** A stored route answer: replayed as it was (an SSE answer is replayed as a stream). */
public record CachedResponse(int status, String contentType, byte[] body) {}
