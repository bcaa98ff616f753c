package io.bricksllm.policy;

/** A natural-language rule of a policy, judged by the custom-rule judge; {@code index} is its position. */
public record CustomRule(int index, String definition, PolicyAction action) {}
