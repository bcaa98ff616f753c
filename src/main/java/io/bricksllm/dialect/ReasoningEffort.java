package io.bricksllm.dialect;

/** How hard the model should think before answering, in OpenAI's {@code reasoning_effort} vocabulary. */
public enum ReasoningEffort {
    NONE, MINIMAL, LOW, MEDIUM, HIGH
}
