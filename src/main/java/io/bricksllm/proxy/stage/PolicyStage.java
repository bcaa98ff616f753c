package io.bricksllm.proxy.stage;

import io.bricksllm.policy.CustomRuleJudge;
import io.bricksllm.policy.PolicyAction;
import io.bricksllm.policy.PolicyEngine;
import io.bricksllm.policy.Verdict;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.bricksllm.store.Policy;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key's policy: personal data and regex rules on every text of the request (block → 403, redaction
 * rewrites only the changed strings) — with the language backend, asynchronously, for the entities that need
 * it — then custom rules through the judge. A key without a policy pays nothing.
 */
public final class PolicyStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStage.class);

    private final PolicyEngine engine;
    private final CustomRuleJudge judge;
    private final CustomRuleJudge.FailureMode failureMode;

    public PolicyStage(PolicyEngine engine, CustomRuleJudge judge, CustomRuleJudge.FailureMode failureMode) {
        this.engine = engine;
        this.judge = judge;
        this.failureMode = failureMode;
    }

    @Override
    public Future<Void> enter(Exchange x) {
        String policyId = x.key.policyId();
        if (policyId.isEmpty()) return Future.succeededFuture();
        Policy policy = x.config.policiesById().get(policyId);
        if (policy == null || x.info.json() == null || x.body == null) return Future.succeededFuture();
        // the language backend (names, addresses, …) only when the policy has such an entity with an action
        if (engine.needsBackend(policy)) return engine.evaluateAsync(policy, x.body.getBytes()).compose(v -> apply(x, policy, v));
        return apply(x, policy, engine.evaluate(policy, x.body.getBytes()));
    }

    private Future<Void> apply(Exchange x, Policy policy, Verdict v) {
        List<String> fired = new ArrayList<>(v.fired());
        x.policyAction = v.action().outcome();
        x.policyFindings = String.join(",", fired);
        if (v.action() == PolicyAction.BLOCK) return Refusal.fail(new Refusal.Forbidden("request blocked", "request_blocked"));
        if (v.body() != null) x.body = Buffer.buffer(v.body());
        if (!engine.hasCustomRules(policy)) return Future.succeededFuture();
        return judgeCustomRules(x, policy, v.action(), fired);
    }

    /** One judge call per action group, strongest first; the first group found decides. */
    private Future<Void> judgeCustomRules(Exchange x, Policy policy, PolicyAction local, List<String> fired) {
        List<String> texts = PolicyEngine.texts(x.body.getBytes());
        Future<PolicyAction> chain = Future.succeededFuture(PolicyAction.ALLOW);
        for (PolicyAction group : List.of(PolicyAction.BLOCK, PolicyAction.WARN, PolicyAction.REDACT)) {
            var rules = engine.customRules(policy).stream().filter(r -> r.action() == group).toList();
            if (rules.isEmpty()) continue;
            chain = chain.compose(found -> {
                if (found != PolicyAction.ALLOW) return Future.succeededFuture(found);
                return judge.contains(texts, rules.stream().map(r -> r.definition()).toList()).map(yes -> {
                    if (yes) rules.forEach(r -> fired.add("custom[" + r.index() + "]"));
                    return yes ? group : PolicyAction.ALLOW;
                });
            });
        }
        return chain.transform(ar -> {
            PolicyAction action = local;
            if (ar.failed()) {
                fired.add("judge_failed");
                LOG.warn("policy judge failed for policy {} [correlationId={}]: {}", policy.id(), x.correlationId, ar.cause().getMessage());
                if (failureMode == CustomRuleJudge.FailureMode.CLOSED) {
                    x.policyAction = PolicyAction.BLOCK.outcome();
                    x.policyFindings = String.join(",", fired);
                    return Refusal.fail(new Refusal.Forbidden("request blocked: the policy check could not complete", "request_blocked"));
                }
            } else {
                // a redact rule the judge found cannot be located in the text: it is reported as a warning
                PolicyAction found = ar.result() == PolicyAction.REDACT ? PolicyAction.WARN : ar.result();
                action = action.max(found);
            }
            x.policyAction = action.outcome();
            x.policyFindings = String.join(",", fired);
            if (action == PolicyAction.BLOCK) return Refusal.fail(new Refusal.Forbidden("request blocked", "request_blocked"));
            return Future.succeededFuture();
        });
    }
}
