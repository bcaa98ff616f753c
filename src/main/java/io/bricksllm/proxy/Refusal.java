package io.bricksllm.proxy;

/**
 * Why the gateway answered a request itself instead of forwarding it. A stage refuses by failing its
 * future with {@link Refused}; {@link RefusalWriter} alone maps each variant to a status and body.
 */
public sealed interface Refusal {
    String message();

    int status();

    /** Metric/event tag for the reason. */
    String reason();

    /** Whole seconds after which the same request may be admitted ({@code Retry-After}); 0 when unknown or never. */
    default long retryAfterSeconds() {
        return 0;
    }

    record BadRequest(String message) implements Refusal {
        public int status() { return 400; }
        public String reason() { return "bad_request"; }
    }

    record Unauthorized(String message) implements Refusal {
        public int status() { return 401; }
        public String reason() { return "unauthorized"; }
    }

    record Forbidden(String message, String reason) implements Refusal {
        public int status() { return 403; }
    }

    record NotFound(String message) implements Refusal {
        public int status() { return 404; }
        public String reason() { return "not_found"; }
    }

    record TooLarge(String message) implements Refusal {
        public int status() { return 413; }
        public String reason() { return "too_large"; }
    }

    /**
     * {@code retryAfterSeconds}: until the window resets (a short back-off for requests in flight). {@code reason}:
     * {@code rate_limited} (requests), {@code token_limited}, {@code concurrency_limited}.
     */
    record RateLimited(String message, long retryAfterSeconds, String reason) implements Refusal {
        public RateLimited(String message) { this(message, 0); }
        public RateLimited(String message, long retryAfterSeconds) { this(message, retryAfterSeconds, "rate_limited"); }
        public int status() { return 429; }
    }

    /** {@code retryAfterSeconds}: until the budget period ends; 0 for a total budget, which never resets. */
    record OverBudget(String message, long retryAfterSeconds) implements Refusal {
        public OverBudget(String message) { this(message, 0); }
        public int status() { return 429; }
        public String reason() { return "over_budget"; }
    }

    record Unavailable(String message) implements Refusal {
        public int status() { return 503; }
        public String reason() { return "unavailable"; }
    }

    /** A failure inside the gateway itself (a bug); the request still ends, with an event. */
    record Internal(String message) implements Refusal {
        public int status() { return 500; }
        public String reason() { return "internal_error"; }
    }

    record UpstreamUnreachable(String message) implements Refusal {
        public int status() { return 502; }
        public String reason() { return "upstream_unreachable"; }
    }

    record UpstreamTimeout(String message) implements Refusal {
        public int status() { return 504; }
        public String reason() { return "upstream_timeout"; }
    }

    /** The exception that carries a refusal through a failed future. No stack trace: it is not an error. */
    final class Refused extends RuntimeException {
        private final Refusal refusal;

        public Refused(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    static <T> io.vertx.core.Future<T> fail(Refusal r) {
        return io.vertx.core.Future.failedFuture(new Refused(r));
    }
}
