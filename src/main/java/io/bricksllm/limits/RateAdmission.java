package io.bricksllm.limits;

/**
 * What one request-count admission found: whether the request was counted, and the window's count after the attempt
 * (this request included when admitted); -1 when unknown (the store did not answer and its failure policy admitted).
 */
public record RateAdmission(boolean admitted, long count) {
    /** Admitted without a count: the store was not asked or did not answer. */
    public static final RateAdmission ADMITTED_UNCOUNTED = new RateAdmission(true, -1);

    public boolean counted() {
        return count >= 0;
    }
}
