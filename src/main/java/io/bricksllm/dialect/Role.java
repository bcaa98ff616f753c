package io.bricksllm.dialect;

/** Who wrote a message. {@code TOOL} messages carry tool results only. */
public enum Role {
    SYSTEM, USER, ASSISTANT, TOOL
}
