package io.bricksllm.admin;

/** An admin answer: a status and a value serialised as JSON, or no body at all. */
public record AdminReply(int status, Object body, boolean empty) {
    public static AdminReply ok(Object body) {
        return new AdminReply(200, body, false);
    }

    public static AdminReply emptyOk() {
        return new AdminReply(200, null, true);
    }
}
