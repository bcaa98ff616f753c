package io.bricksllm.policy.detect;

import java.util.List;

/** Finds one entity in a text, offline. Implementations are immutable and thread-safe. */
public interface Detector {

    PiiEntity entity();

    /** Appends a finding to {@code out} for each occurrence of {@link #entity()} in {@code text}. */
    void find(String text, List<Finding> out);
}
