package io.bricksllm.dialect;

/** The request is valid, but the target dialect cannot express one of its fields. */
public final class UnsupportedByDialectException extends DialectException {

    private final String provider;
    private final String detail;

    public UnsupportedByDialectException(String field, String provider, String detail) {
        super(field, "'" + field + "' is not supported by provider " + provider + ": " + detail);
        this.provider = provider;
        this.detail = detail;
    }

    /**
     * The same refusal naming {@code target}: a caller-side decoder knows what cannot leave OpenAI's dialect, the
     * translation knows which provider the request was for.
     */
    public UnsupportedByDialectException forProvider(String target) {
        return new UnsupportedByDialectException(field(), target, detail);
    }

    public String provider() {
        return provider;
    }
}
