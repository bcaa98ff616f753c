package io.bricksllm.policy;

import java.util.List;

/**
 * The outcome of a policy on one request: the strongest action that fired, the body to forward
 * (null = unchanged), which entities and rules fired — names only, never the matched values — and the body to
 * keep in events and logs when it differs from the one forwarded ({@code recordedBody}, null = the forwarded
 * one): there every value the policy detected is masked, whatever its action (a blocked request's, a warning's).
 */
public record Verdict(PolicyAction action, byte[] body, List<String> fired, byte[] recordedBody) {
    public static final Verdict ALLOWED = new Verdict(PolicyAction.ALLOW, null, List.of(), null);

    public Verdict(PolicyAction action, byte[] body, List<String> fired) {
        this(action, body, fired, null);
    }
}
