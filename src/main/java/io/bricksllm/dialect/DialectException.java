package io.bricksllm.dialect;

/** A request that cannot be translated; always the caller's doing, so always a 400. */
public abstract sealed class DialectException extends RuntimeException
        permits UnsupportedByDialectException, InvalidChatRequestException {

    private final String field;

    protected DialectException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    /** The request field at fault, e.g. {@code n} or {@code messages[2].content}. */
    public String field() {
        return field;
    }

    public ChatError toChatError() {
        return new ChatError(400, "invalid_request_error", getMessage());
    }
}
