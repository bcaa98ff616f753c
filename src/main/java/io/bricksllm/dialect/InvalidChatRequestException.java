package io.bricksllm.dialect;

/** The request does not follow the ingress dialect's shape. */
public final class InvalidChatRequestException extends DialectException {

    public InvalidChatRequestException(String field, String detail) {
        super(field, "invalid '" + field + "': " + detail);
    }
}
