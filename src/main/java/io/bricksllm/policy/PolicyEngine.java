package io.bricksllm.policy;

import io.bricksllm.policy.detect.Finding;
import io.bricksllm.policy.detect.PiiEntity;
import io.bricksllm.policy.detect.Redactor;
import io.bricksllm.policy.detect.ScanAbortedException;
import io.bricksllm.policy.detect.ScanDeadline;
import io.bricksllm.store.Policy;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a policy's entity and regex rules to every text of a request body. Every rule applies (a warn
 * does not cancel a redaction, several redacting regexes all redact); the result carries the strongest
 * action. Entities that need language understanding go to the {@link LanguageBackend} when one is configured
 * ({@link #evaluateAsync}), and are reported {@code unavailable:<entity>} when not. Custom (LLM-judged) rules
 * are left to {@link CustomRuleJudge}.
 */
public final class PolicyEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);
    static final String MASK = "***";
    /** In {@link Verdict#fired()} when the language backend could not answer for every text. */
    public static final String BACKEND_FAILED = "backend_failed";
    private static final long BACKEND_WARNING_EVERY_NANOS = 10_000_000_000L;

    private final LanguageBackend backend;
    private final ConcurrentHashMap<String, CompiledPolicy> compiled = new ConcurrentHashMap<>();
    private final Set<String> warnedUnavailable = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastBackendWarning = new AtomicLong(System.nanoTime() - BACKEND_WARNING_EVERY_NANOS);

    /** Local detectors only: entities that need a language backend are reported unavailable. */
    public PolicyEngine() {
        this(null);
    }

    /** {@code backend}: finds the entities no local detector can; null when none is configured. */
    public PolicyEngine(LanguageBackend backend) {
        this.backend = backend;
    }

    CompiledPolicy compile(Policy p) {
        CompiledPolicy c = compiled.get(p.id());
        if (c == null || c.version != p.updatedAt()) {
            c = new CompiledPolicy(p, backend != null);
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

    /** True when the policy needs the language backend: evaluate it with {@link #evaluateAsync}. */
    public boolean needsBackend(Policy p) {
        return !compile(p).backendEntities.isEmpty();
    }

    /** Evaluates the local rules on the calling thread, without a time limit. */
    public Verdict evaluate(Policy p, byte[] body) {
        return evaluate(compile(p), body, ScanDeadline.NONE);
    }

    /** Evaluates the local rules; gives up with {@link ScanAbortedException} at the deadline. */
    private Verdict evaluate(CompiledPolicy c, byte[] body, ScanDeadline deadline) {
        if (c.inert() || (c.entityActions.isEmpty() && c.regexRules.isEmpty())) return Verdict.ALLOWED;
        List<TextSpans.Span> spans = spans(body);
        return spans == null ? Verdict.ALLOWED : decide(c, body, spans, null, false, deadline);
    }

    /** The texts of a body; null when it is not JSON (bodies reach here only after the JSON check of the body stage). */
    private static List<TextSpans.Span> spans(byte[] body) {
        try {
            return TextSpans.find(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@link #evaluateAsync(Policy, byte[], ScanRunner)} on the calling thread, without a time limit. */
    public Future<Verdict> evaluateAsync(Policy p, byte[] body) {
        return evaluateAsync(p, body, ScanRunner.INLINE);
    }

    /**
     * Evaluates the local rules and, with the language backend, the entities that need it: every text is sent to
     * the backend at once (one call per text), its findings join the local ones under the same rules. The local
     * work (parsing, scanning) runs where {@code runner} puts it; the future fails with
     * {@link ScanAbortedException} when that work could not complete. A backend failure does not fail it: the
     * verdict then says {@value #BACKEND_FAILED}.
     */
    public Future<Verdict> evaluateAsync(Policy p, byte[] body, ScanRunner runner) {
        CompiledPolicy c = compile(p);
        if (c.backendEntities.isEmpty()) return runner.run(body.length, d -> evaluate(c, body, d));
        return runner.run(body.length, d -> spans(body)).compose(spans -> {
            if (spans == null) return Future.succeededFuture(Verdict.ALLOWED);
            List<Future<List<Finding>>> calls = new ArrayList<>(spans.size());
            for (TextSpans.Span span : spans) calls.add(detect(span.text(), c.backendEntities));
            return Future.all(calls).transform(ar -> {
                if (ar.succeeded()) {
                    List<List<Finding>> found = new ArrayList<>(calls.size());
                    for (Future<List<Finding>> f : calls) found.add(f.result());
                    return runner.run(body.length, d -> decide(c, body, spans, found, false, d));
                }
                // The backend failed for at least one text (error, timeout or an answer that cannot be trusted). Its
                // findings for the other texts are dropped as well and the request follows the local verdict — as if
                // no backend were configured — with backend_failed recorded; a failure never crashes the request.
                warnBackendFailure(p, ar.cause());
                return runner.run(body.length, d -> decide(c, body, spans, null, true, d));
            });
        });
    }

    /** One backend call, any misbehaviour (a throw, no future, findings outside the text) turned into a failure. */
    private Future<List<Finding>> detect(String text, Set<PiiEntity> wanted) {
        Future<List<Finding>> f;
        try {
            f = backend.detect(text, wanted);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (f == null) return Future.failedFuture(new IllegalStateException("the language backend gave no answer"));
        return f.compose(found -> {
            if (found == null) return Future.failedFuture(new IllegalStateException("the language backend answered nothing"));
            List<Finding> kept = new ArrayList<>(found.size());
            for (Finding x : found) {
                if (x == null || x.end() > text.length()) {
                    return Future.failedFuture(new IllegalStateException("the language backend answered a span outside the text"));
                }
                if (wanted.contains(x.entity())) kept.add(x);
            }
            return Future.succeededFuture(kept);
        });
    }

    private void warnBackendFailure(Policy p, Throwable cause) {
        long now = System.nanoTime();
        long last = lastBackendWarning.get();
        if (now - last >= BACKEND_WARNING_EVERY_NANOS && lastBackendWarning.compareAndSet(last, now)) {
            LOG.warn("PII language backend failed (policy {}); requests follow their local verdict: {}", p.id(), cause.toString());
        }
    }

    /**
     * The verdict over every text: local findings plus, when given, the backend's findings of the same text
     * (index for index with {@code spans}). Two bodies come out of it: the one to forward (only redactions
     * applied) and, when it differs, the one to record, where every value that fired a rule is masked.
     */
    private Verdict decide(CompiledPolicy c, byte[] body, List<TextSpans.Span> spans, List<List<Finding>> backendFindings,
                           boolean backendFailed, ScanDeadline deadline) {
        PolicyAction action = PolicyAction.ALLOW;
        Set<String> fired = new LinkedHashSet<>();
        c.unavailable.forEach(u -> fired.add("unavailable:" + u.wireName()));
        if (backendFailed) fired.add(BACKEND_FAILED);
        Rewrites forwarded = new Rewrites();
        Rewrites recorded = new Rewrites();
        boolean recordedDiffers = false;
        for (int i = 0; i < spans.size(); i++) {
            TextSpans.Span span = spans.get(i);
            String text = span.text();
            List<Finding> toRedact = new ArrayList<>();
            List<Finding> toMask = new ArrayList<>();
            List<Finding> found = c.scanner.scan(text, deadline);
            if (backendFindings != null && !backendFindings.get(i).isEmpty()) {
                found = new ArrayList<>(found);
                found.addAll(backendFindings.get(i));
            }
            for (Finding f : found) {
                PolicyAction a = c.entityActions.get(f.entity());
                if (a == null) continue;
                fired.add(f.entity().wireName());
                action = action.max(a);
                toMask.add(f);
                if (a == PolicyAction.REDACT) toRedact.add(f);
            }
            String result = toRedact.isEmpty() ? text : Redactor.redact(text, toRedact);
            // the recorded copy of this text, when it differs from the forwarded one
            String kept = toMask.size() == toRedact.size() ? null : Redactor.redact(text, toMask);
            for (CompiledPolicy.RegexRule rule : c.regexRules) {
                if (rule.pattern() == null) throw RegexRules.unusable(rule.index());
                Matcher m = rule.pattern().matcher(new DeadlineCharSequence(result, deadline));
                if (!m.find()) continue;
                fired.add("regex[" + rule.index() + "]");
                action = action.max(rule.action());
                if (rule.action() == PolicyAction.REDACT) {
                    result = m.replaceAll(MASK);
                    if (kept != null) kept = mask(rule, kept, deadline);
                } else {
                    kept = kept == null ? m.replaceAll(MASK) : mask(rule, kept, deadline);
                }
            }
            if (!result.equals(text)) forwarded.add(span, result);
            String keptText = kept == null ? result : kept;
            if (!keptText.equals(text)) recorded.add(span, keptText);
            recordedDiffers |= !keptText.equals(result);
        }
        byte[] newBody = action == PolicyAction.BLOCK ? null : forwarded.apply(body);
        // a blocked body is never forwarded: what is recorded is the masked one, whatever the rules' actions
        byte[] recordedBody = action == PolicyAction.BLOCK || recordedDiffers ? recorded.apply(body) : null;
        return new Verdict(action, newBody, List.copyOf(fired), recordedBody);
    }

    private static String mask(CompiledPolicy.RegexRule rule, String text, ScanDeadline deadline) {
        return rule.pattern().matcher(new DeadlineCharSequence(text, deadline)).replaceAll(MASK);
    }

    /** New texts for some spans of a body. */
    private static final class Rewrites {
        final List<TextSpans.Span> spans = new ArrayList<>();
        final List<String> texts = new ArrayList<>();

        void add(TextSpans.Span span, String text) {
            spans.add(span);
            texts.add(text);
        }

        /** The body with the new texts; null when there are none. */
        byte[] apply(byte[] body) {
            return spans.isEmpty() ? null : TextSpans.replace(body, spans, texts);
        }
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
