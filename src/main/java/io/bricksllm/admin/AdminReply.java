package io.bricksllm.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * An admin answer: a status and a value serialised as JSON, or no body at all, or a body streamed as it is produced
 * ({@link #stream}) for answers too large to hold in memory.
 */
public record AdminReply(int status, Object body, boolean empty, Streamed streamed) {
    /** Writes a streamed body; runs on a worker thread and may block while the client is behind. */
    @FunctionalInterface
    public interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A streamed answer's content type, extra headers (sent before the first byte) and body. */
    public record Streamed(String contentType, Map<String, String> headers, StreamBody body) {
        public Streamed {
            headers = Map.copyOf(headers);
        }
    }

    public AdminReply(int status, Object body, boolean empty) {
        this(status, body, empty, null);
    }

    public static AdminReply ok(Object body) {
        return new AdminReply(200, body, false);
    }

    public static AdminReply emptyOk() {
        return new AdminReply(200, null, true);
    }

    /**
     * A 200 whose body {@code body} writes to the response as it goes, with back-pressure: writes block while the
     * client's connection is behind. Validate before returning this: once the first byte is sent, a failure can only
     * cut the response short.
     */
    public static AdminReply stream(String contentType, Map<String, String> headers, StreamBody body) {
        return new AdminReply(200, null, false, new Streamed(contentType, headers, body));
    }
}
