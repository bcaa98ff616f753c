package io.bricksllm.policy.detect;

import java.util.Objects;

/**
 * One detected entity: a span {@code [start, end)} of the scanned text. The matched value itself is
 * deliberately not kept: a finding can be logged or counted without leaking what it points at.
 */
public record Finding(PiiEntity entity, int start, int end) {

    public Finding {
        Objects.requireNonNull(entity, "entity");
        if (start < 0 || end <= start) throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }

    public int length() {
        return end - start;
    }
}
