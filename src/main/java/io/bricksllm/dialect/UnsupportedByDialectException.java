package io.bricksllm.dialect;

/** The request is valid, but the target dialect cannot express one of its fields. */
public final class UnsupportedByDialectException extends DialectException {

    private final String provider;

    public UnsupportedByDialectException(String field, String provider, String detail) {
        super(field, "'" + field + "' is not supported by provider " + provider + ": " + detail);
        this.provider = provider;
    }

    public String provider() {
        return provider;
    }
}
