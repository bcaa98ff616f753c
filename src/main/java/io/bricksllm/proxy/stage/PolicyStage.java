package io.bricksllm.proxy.stage;

import io.bricksllm.policy.CustomRuleJudge;
import io.bricksllm.policy.PolicyAction;
import io.bricksllm.policy.PolicyEngine;
import io.bricksllm.policy.ScanPool;
import io.bricksllm.policy.Verdict;
import io.bricksllm.policy.detect.ScanAbortedException;
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
 * it — then custom rules through the judge. A key without a policy pays nothing. Scans run where
 * {@link ScanPool} puts them (big bodies off the event loop) within a time budget; a scan that cannot complete
 * follows the failure mode like a judge that cannot answer. Events and logs keep the body with every detected
 * value masked, whatever the rule's action.
 */
public final class PolicyStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStage.class);
    /** In the findings when a scan failed for a reason other than its budget (a bug: logged as an error). */
    static final String SCAN_FAILED = "scan_failed";

    private final PolicyEngine engine;
    private final ScanPool scans;
    private final CustomRuleJudge judge;
    private final CustomRuleJudge.FailureMode failureMode;

    public PolicyStage(PolicyEngine engine, ScanPool scans, CustomRuleJudge judge, CustomRuleJudge.FailureMode failureMode) {
        this.engine = engine;
        this.scans = scans;
        this.judge = judge;
        this.failureMode = failureMode;
    }

    @Override
    public Future<Void> enter(Exchange x) {
        String policyId = x.key.policyId();
        if (policyId.isEmpty()) return Future.succeededFuture();
        Policy policy = x.config.policiesById().get(policyId);
        if (policy == null || x.info.json() == null || x.body == null) return Future.succeededFuture();
        return engine.evaluateAsync(policy, x.body.getBytes(), scans.forRequest())
                .transform(ar -> ar.succeeded() ? apply(x, policy, ar.result()) : incomplete(x, policy, ar.cause()));
    }

    private Future<Void> apply(Exchange x, Policy policy, Verdict v) {
        List<String> fired = new ArrayList<>(v.fired());
        x.policyAction = v.action().outcome();
        x.policyFindings = String.join(",", fired);
        if (v.recordedBody() != null) x.recordedBody = Buffer.buffer(v.recordedBody());
        if (v.action() == PolicyAction.BLOCK) return Refusal.fail(new Refusal.Forbidden("request blocked", "request_blocked"));
        if (v.body() != null) {
            x.body = Buffer.buffer(v.body());
            x.info = x.info.withBody(v.body()); // route steps and translations read the tree: the redacted one
        }
        if (!engine.hasCustomRules(policy)) return Future.succeededFuture();
        return judgeCustomRules(x, policy, v.action(), fired);
    }

    /**
     * The scan could not complete (over its time budget, the pool overloaded, a stored rule unusable): closed →
     * blocked, open → let through with a warning. Either way the body is not recorded: nobody knows what it holds.
     */
    private Future<Void> incomplete(Exchange x, Policy policy, Throwable cause) {
        String finding;
        if (cause instanceof ScanAbortedException aborted) {
            finding = aborted.finding();
            LOG.warn("policy {} check incomplete ({}) [correlationId={}]", policy.id(), finding, x.correlationId);
        } else {
            finding = SCAN_FAILED;
            LOG.error("policy {} check failed [correlationId={}]", policy.id(), x.correlationId, cause);
        }
        x.recordedBody = Buffer.buffer();
        List<String> fired = new ArrayList<>(List.of(finding));
        x.policyFindings = finding;
        if (failureMode == CustomRuleJudge.FailureMode.CLOSED) {
            x.policyAction = PolicyAction.BLOCK.outcome();
            return Refusal.fail(new Refusal.Forbidden("request blocked: the policy check could not complete", "request_blocked"));
        }
        x.policyAction = PolicyAction.WARN.outcome();
        if (!engine.hasCustomRules(policy)) return Future.succeededFuture();
        return judgeCustomRules(x, policy, PolicyAction.WARN, fired);
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
                // LlmJudge's failures never quote the texts (an unreadable answer is reported as such, not quoted)
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
