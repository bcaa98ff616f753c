package io.bricksllm.limits;

/**
 * The shared counter store (Redis) did not answer in time or refused the call. Admission cannot be
 * decided; the caller applies its {@link FailurePolicy} (the proxy answers 503 when failing closed).
 */
public final class LimitStoreUnavailable extends RuntimeException {
    public LimitStoreUnavailable(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    public LimitStoreUnavailable(String message) {
        this(message, null);
    }
}
