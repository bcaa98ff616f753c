package io.bricksllm.policy;

import io.bricksllm.policy.detect.PiiEntity;
import io.bricksllm.policy.detect.PiiScanner;
import io.bricksllm.store.Policy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A policy ready to evaluate: only the rules whose action is not {@code allow}, regexes compiled once,
 * one scanner for every entity the rules name ({@code all} = every local entity without a rule of its own).
 * Entities only a language backend finds go to the backend when one is configured ({@link #backendEntities}),
 * and are reported {@link #unavailable} when not.
 */
final class CompiledPolicy {
    /** {@code pattern}: null when the definition is too long to compile (see {@link RegexRules#MAX_LENGTH}). */
    record RegexRule(int index, Pattern pattern, PolicyAction action) {}

    final long version;
    final Map<PiiEntity, PolicyAction> entityActions = new EnumMap<>(PiiEntity.class);
    final PiiScanner scanner;
    final Set<PiiEntity> unavailable;
    /** The backend entities with an action, for the language backend; empty without a backend. */
    final Set<PiiEntity> backendEntities;
    final List<RegexRule> regexRules = new ArrayList<>();
    final List<CustomRule> customRules = new ArrayList<>();

    CompiledPolicy(Policy p, boolean languageBackend) {
        this.version = p.updatedAt();
        PolicyAction all = null;
        for (var e : p.config().rules().entrySet()) {
            PolicyAction a = PolicyAction.fromWire(e.getValue()).orElseThrow();
            if (e.getKey().equals("all")) {
                all = a;
                continue;
            }
            PiiEntity entity = PiiEntity.fromWire(e.getKey()).orElseThrow();
            if (a != PolicyAction.ALLOW) entityActions.put(entity, a);
        }
        if (all != null && all != PolicyAction.ALLOW) {
            for (PiiEntity e : PiiEntity.localEntities()) {
                if (!p.config().rules().containsKey(e.wireName())) entityActions.put(e, all);
            }
        }
        this.scanner = new PiiScanner(entityActions.keySet());
        Set<PiiEntity> backend = scanner.unavailable().isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(scanner.unavailable()));
        this.unavailable = languageBackend ? Set.of() : backend;
        this.backendEntities = languageBackend ? backend : Set.of();
        List<Policy.Rule> regex = p.regexConfig().rules();
        for (int i = 0; i < regex.size(); i++) {
            PolicyAction a = PolicyAction.fromWire(regex.get(i).action()).orElseThrow();
            String definition = regex.get(i).definition();
            // a definition over the limit (stored before there was one) is not compiled here, on an event loop: its
            // rule cannot be checked and the request follows the failure mode
            if (a != PolicyAction.ALLOW) regexRules.add(new RegexRule(i, definition.length() > RegexRules.MAX_LENGTH ? null : Pattern.compile(definition), a));
        }
        List<Policy.Rule> custom = p.customConfig().rules();
        for (int i = 0; i < custom.size(); i++) {
            PolicyAction a = PolicyAction.fromWire(custom.get(i).action()).orElseThrow();
            if (a != PolicyAction.ALLOW) customRules.add(new CustomRule(i, custom.get(i).definition(), a));
        }
    }

    /** Nothing to scan for: the outcome is "allowed" without reading a text. */
    boolean inert() {
        return entityActions.isEmpty() && regexRules.isEmpty() && customRules.isEmpty();
    }
}
