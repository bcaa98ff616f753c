package io.bricksllm.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.policy.detect.PiiEntity;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.Json;
import io.bricksllm.store.KeyRepository;
import io.bricksllm.store.LiveConfig;
import io.bricksllm.store.Policy;
import io.bricksllm.store.PolicyRepository;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.PatternSyntaxException;

/**
 * Policies: create, get, list, update, delete (BEHAVIOUR.md §3.8). Every rule is checked — unknown
 * entity, unknown action, a regex that does not compile, is over {@link RegexRules#MAX_LENGTH} characters or
 * takes over {@link ScanPool#COMPILE_TIMEOUT} to compile — and answered with a 400 naming the rule.
 * Entities that need a language backend are accepted; while no backend is configured they are listed as
 * {@code unavailableEntities}.
 */
public final class PolicyAdmin implements AdminResource {
    record PolicyBody(String name, List<String> tags, Policy.EntityConfig config, Policy.RuleConfig regexConfig,
                      Policy.RuleConfig customConfig) {}

    private final PolicyRepository policies;
    private final KeyRepository keys;
    private final LiveConfig live;
    private final Clock clock;
    private final boolean languageBackend;
    private final ScanPool compiler;
    /** Local detectors only: a dry run never calls the language backend. */
    private final PolicyEngine dryRunEngine = new PolicyEngine();

    /**
     * {@code languageBackend}: a language backend (AWS Comprehend) finds the entities no local detector can;
     * {@code compiler}: where regex definitions compile, within a deadline.
     */
    public PolicyAdmin(PolicyRepository policies, KeyRepository keys, LiveConfig live, Clock clock, boolean languageBackend,
                       ScanPool compiler) {
        this.policies = policies;
        this.keys = keys;
        this.live = live;
        this.clock = clock;
        this.languageBackend = languageBackend;
        this.compiler = compiler;
    }

    @Override
    public void register(AdminServer.Routes r) {
        r.add(HttpMethod.POST, "/api/policies", this::create);
        r.add(HttpMethod.GET, "/api/policies", this::list);
        r.add(HttpMethod.GET, "/api/policies/:id", req -> AdminReply.ok(view(find(req.pathParam("id")))));
        r.add(HttpMethod.PATCH, "/api/policies/:id", this::update);
        r.add(HttpMethod.DELETE, "/api/policies/:id", this::delete);
        r.add(HttpMethod.POST, "/api/policies/:id/test", this::dryRun);
    }

    record DryRunRequest(String text) {}

    /**
     * What the policy's local rules (entities found here, regexes) would do to a user message holding {@code text}:
     * the action, the rules that fired and the text as it would be forwarded (issue 21, the console's policy page).
     * Nothing is stored or sent anywhere: entities that need the language backend and custom (LLM-judged) rules are
     * listed as not evaluated.
     */
    AdminReply dryRun(AdminRequest req) {
        Policy p = find(req.pathParam("id"));
        DryRunRequest r = req.bind(req.json(), DryRunRequest.class);
        if (r.text() == null) throw AdminError.validation("text is required");
        ObjectNode message = Json.MAPPER.createObjectNode().put("role", "user").put("content", r.text());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("messages").add(message);
        Verdict v = dryRunEngine.evaluate(p, Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<String> texts = v.body() == null ? List.of(r.text()) : PolicyEngine.texts(v.body());
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("action", v.action().outcome());
        out.put("text", texts.isEmpty() ? "" : texts.get(0));
        out.put("changed", v.body() != null);
        var fired = out.putArray("fired");
        v.fired().forEach(fired::add);
        var skipped = out.putArray("notEvaluated");
        p.config().rules().keySet().stream().map(PiiEntity::fromWire).flatMap(java.util.Optional::stream)
                .filter(PiiEntity::needsLanguageBackend).map(PiiEntity::wireName).sorted().forEach(skipped::add);
        if (!p.customConfig().rules().isEmpty()) skipped.add("customConfig");
        return AdminReply.ok(out);
    }

    AdminReply create(AdminRequest req) {
        PolicyBody b = req.bind(req.json(), PolicyBody.class);
        long now = clock.instant().getEpochSecond();
        Policy p = new Policy(UUID.randomUUID().toString(), b.name() == null ? "" : b.name(), now, now, b.tags(), b.config(),
                b.regexConfig(), b.customConfig());
        validate(p);
        policies.insert(p);
        live.changed();
        return AdminReply.ok(view(p));
    }

    AdminReply update(AdminRequest req) {
        JsonNode json = req.json();
        PolicyBody b = req.bind(json, PolicyBody.class);
        Policy old = find(req.pathParam("id"));
        Policy p = new Policy(old.id(), b.name() != null && !b.name().isEmpty() ? b.name() : old.name(), old.createdAt(),
                Math.max(clock.instant().getEpochSecond(), old.updatedAt() + 1),
                b.tags() != null && !b.tags().isEmpty() ? b.tags() : old.tags(),
                AdminRequest.present(json, "config") ? b.config() : old.config(),
                AdminRequest.present(json, "regexConfig") ? b.regexConfig() : old.regexConfig(),
                AdminRequest.present(json, "customConfig") ? b.customConfig() : old.customConfig());
        validate(p);
        policies.update(p);
        live.changed();
        return AdminReply.ok(view(p));
    }

    AdminReply list(AdminRequest req) {
        List<String> tags = req.queryAll("tags");
        return AdminReply.ok(policies.findAll().stream().filter(p -> p.tags().containsAll(tags)).map(this::view).toList());
    }

    AdminReply delete(AdminRequest req) {
        String id = req.pathParam("id");
        long users = keys.findAll().stream().map(ApiKey::policyId).filter(id::equals).count();
        if (users > 0) throw AdminError.conflict("policy " + id + " is used by " + users + " key(s); detach it first");
        policies.delete(id);
        live.changed();
        return AdminReply.emptyOk();
    }

    private Policy find(String id) {
        return policies.findById(id).orElseThrow(() -> AdminError.notFound("policy not found for id: " + id));
    }

    void validate(Policy p) {
        for (Map.Entry<String, String> rule : p.config().rules().entrySet()) {
            if (!rule.getKey().equals("all") && PiiEntity.fromWire(rule.getKey()).isEmpty()) {
                throw AdminError.validation("config.rules." + rule.getKey() + ": unknown entity");
            }
            if (PolicyAction.fromWire(rule.getValue()).isEmpty()) {
                throw AdminError.validation("config.rules." + rule.getKey() + ": unknown action " + rule.getValue()
                        + " (block, allow_but_warn, allow_but_redact, allow)");
            }
        }
        checkRules("regexConfig", p.regexConfig().rules(), true);
        checkRules("customConfig", p.customConfig().rules(), false);
    }

    private void checkRules(String field, List<Policy.Rule> rules, boolean regex) {
        for (int i = 0; i < rules.size(); i++) {
            Policy.Rule r = rules.get(i);
            String at = field + ".rules[" + i + "]";
            if (r == null || r.definition() == null || r.definition().isBlank()) throw AdminError.validation(at + ": definition is empty");
            if (r.action() == null || PolicyAction.fromWire(r.action()).isEmpty()) {
                throw AdminError.validation(at + ": unknown action " + r.action() + " (block, allow_but_warn, allow_but_redact, allow)");
            }
            if (regex) checkRegex(at, r.definition());
        }
    }

    /** Refused: over {@link RegexRules#MAX_LENGTH} characters, not compiling, or compiling for too long. */
    private void checkRegex(String at, String definition) {
        if (definition.length() > RegexRules.MAX_LENGTH) {
            throw AdminError.validation(at + ": regex is " + definition.length() + " characters long; the most is " + RegexRules.MAX_LENGTH);
        }
        try {
            compiler.compile(definition);
        } catch (PatternSyntaxException e) {
            throw AdminError.validation(at + ": regex cannot be compiled: " + e.getDescription());
        } catch (TimeoutException e) {
            throw AdminError.validation(at + ": regex takes too long to compile (over " + ScanPool.COMPILE_TIMEOUT.toMillis() + " ms)");
        }
    }

    private ObjectNode view(Policy p) {
        return view(p, languageBackend);
    }

    /** The policy as stored, plus the entities it names that no detector here can find. */
    static ObjectNode view(Policy p, boolean languageBackend) {
        ObjectNode n = Json.MAPPER.valueToTree(p);
        var unavailable = n.putArray("unavailableEntities");
        if (languageBackend) return n;
        p.config().rules().keySet().stream().map(PiiEntity::fromWire).flatMap(java.util.Optional::stream)
                .filter(PiiEntity::needsLanguageBackend).map(PiiEntity::wireName).sorted().forEach(unavailable::add);
        return n;
    }
}
