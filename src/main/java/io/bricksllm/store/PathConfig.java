package io.bricksllm.store;

/** One allowed (template path, method) pair of a key or user. */
public record PathConfig(String path, String method) {}
