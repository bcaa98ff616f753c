package io.bricksllm.policy;

import java.util.List;

/**
 * The outcome of a policy on one request: the strongest action that fired, the body to forward
 * (null = unchanged) and which entities and rules fired — names only, never the matched values.
 */
public record Verdict(PolicyAction action, byte[] body, List<String> fired) {
    public static final Verdict ALLOWED = new Verdict(PolicyAction.ALLOW, null, List.of());
}
