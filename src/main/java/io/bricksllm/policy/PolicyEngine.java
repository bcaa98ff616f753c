package io.bricksllm.policy;

import io.bricksllm.policy.detect.Finding;
import io.bricksllm.policy.detect.PiiEntity;
import io.bricksllm.policy.detect.Redactor;
import io.bricksllm.store.Policy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a policy's entity and regex rules to every text of a request body. Every rule applies (a warn
 * does not cancel a redaction, several redacting regexes all redact); the result carries the strongest
 * action. Custom (LLM-judged) rules are left to {@link CustomRuleJudge}.
 */
public final class PolicyEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);
    static final String MASK = "***";

    private final ConcurrentHashMap<String, CompiledPolicy> compiled = new ConcurrentHashMap<>();
    private final Set<String> warnedUnavailable = ConcurrentHashMap.newKeySet();

    CompiledPolicy compile(Policy p) {
        CompiledPolicy c = compiled.get(p.id());
        if (c == null || c.version != p.updatedAt()) {
            c = new CompiledPolicy(p);
            compiled.put(p.id(), c);
            if (!c.unavailable.isEmpty() && warnedUnavailable.add(p.id() + "@" + p.updatedAt())) {
                LOG.warn("policy {} names entities that need a language backend, which is not configured: {}", p.id(),
                        c.unavailable.stream().map(PiiEntity::wireName).sorted().toList());
            }
        }
        return c;
    }

    public boolean hasCustomRules(Policy p) {
        return !compile(p).customRules.isEmpty();
    }

    public List<CustomRule> customRules(Policy p) {
        return compile(p).customRules;
    }

    /** Evaluates the local rules; a body that is not JSON is scanned as one text. */
    public Verdict evaluate(Policy p, byte[] body) {
        CompiledPolicy c = compile(p);
        if (c.inert() || (c.entityActions.isEmpty() && c.regexRules.isEmpty())) return Verdict.ALLOWED;
        List<TextSpans.Span> spans;
        try {
            spans = TextSpans.find(body);
        } catch (IOException e) {
            return Verdict.ALLOWED; // bodies reach here only after the JSON check of the body stage
        }
        PolicyAction action = PolicyAction.ALLOW;
        Set<String> fired = new LinkedHashSet<>();
        c.unavailable.forEach(u -> fired.add("unavailable:" + u.wireName()));
        List<TextSpans.Span> changed = new ArrayList<>();
        List<String> replacements = new ArrayList<>();
        for (TextSpans.Span span : spans) {
            String text = span.text();
            List<Finding> toRedact = new ArrayList<>();
            for (Finding f : c.scanner.scan(text)) {
                PolicyAction a = c.entityActions.get(f.entity());
                if (a == null) continue;
                fired.add(f.entity().wireName());
                action = action.max(a);
                if (a == PolicyAction.REDACT) toRedact.add(f);
            }
            String result = toRedact.isEmpty() ? text : Redactor.redact(text, toRedact);
            for (CompiledPolicy.RegexRule rule : c.regexRules) {
                Matcher m = rule.pattern().matcher(result);
                if (!m.find()) continue;
                fired.add("regex[" + rule.index() + "]");
                action = action.max(rule.action());
                if (rule.action() == PolicyAction.REDACT) result = m.replaceAll(MASK);
            }
            if (!result.equals(text)) {
                changed.add(span);
                replacements.add(result);
            }
        }
        byte[] newBody = action == PolicyAction.BLOCK || changed.isEmpty() ? null : TextSpans.replace(body, changed, replacements);
        return new Verdict(action, newBody, List.copyOf(fired));
    }

    /** Texts the custom-rule judge reads (after local redaction). */
    public static List<String> texts(byte[] body) {
        try {
            return TextSpans.find(body).stream().map(TextSpans.Span::text).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
