package io.bricksllm.dialect;

/** The upstream answered with a body its own dialect does not allow: a 502, never the caller's fault. */
public final class MalformedUpstreamException extends RuntimeException {

    public MalformedUpstreamException(String message) {
        super(message, null, false, false);
    }

    public ChatError toChatError() {
        return new ChatError(502, "upstream_error", getMessage());
    }
}
