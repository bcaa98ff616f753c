package io.bricksllm.limits;

/** What a level limits; a refusal names the kind that refused. */
public enum LimitKind {
    /** Requests per window. */
    REQUESTS,
    /** Input + output tokens per window (reserved at admission, settled to the real usage). */
    TOKENS,
    /** USD, in total and per window (reserved at admission, settled to the real cost). */
    BUDGET,
    /** Requests in flight at once (leased, released on every ending). */
    CONCURRENCY
}
