package io.bricksllm.proxy.stage;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.DialectException;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.Providers;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.bricksllm.proxy.translate.TokenCountAnswer;
import io.bricksllm.proxy.translate.Translation;
import io.bricksllm.proxy.translate.Translations;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.Route;
import io.bricksllm.store.RouteStep;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The unified endpoints' target: {@code model} is {@code <provider>/<model id>}; the prefix picks the provider and
 * the key's setting for it (its credential goes upstream), the rest is the upstream model id that limits, events and
 * prices see. A {@code models} list becomes attempts tried in order, on a route's failover conditions. Every target
 * is checked here — known provider, a setting, an allowed model, a request its dialect can express — so a refused
 * request reserves nothing and reaches no upstream. Native paths whose caller speaks another API than the provider
 * (Anthropic's, at the original's Bedrock paths) get their translation here too.
 */
public final class TargetStage implements Stage {
    /** More would only multiply the worst-case latency of one request. */
    static final int MAX_TARGETS = 10;

    private final Providers providers;
    private final Translations translations;
    private final RandomGenerator random;
    private final io.bricksllm.route.balance.TargetGroups groups;

    public TargetStage(Providers providers, Translations translations, RandomGenerator random) {
        this(providers, translations, random, null);
    }

    /** {@code groups}: where keys with a {@code settingStrategy} pick their setting (null: as without one). */
    public TargetStage(Providers providers, Translations translations, RandomGenerator random,
                       io.bricksllm.route.balance.TargetGroups groups) {
        this.providers = providers;
        this.translations = translations;
        this.random = random;
        this.groups = groups;
    }

    /** One entry of the request's model list. */
    record Target(Provider provider, String model, List<ProviderSetting> settings) {}

    @Override
    public Future<Void> enter(Exchange x) {
        if (!x.endpoint.unified()) return x.endpoint.ingress() == null ? Future.succeededFuture() : translatedNative(x);
        // no model to target: the model list and the key view are answered by the gateway
        if (x.endpoint.operation() == Operation.PASS_THROUGH || x.endpoint.operation() == Operation.KEY_VIEW) {
            return Future.succeededFuture();
        }
        try {
            if (x.endpoint.operation() == Operation.TOKEN_COUNT) {
                tokenCount(x, target(x, x.info.model()));
                return Future.succeededFuture();
            }
            List<Target> targets = new ArrayList<>();
            for (String name : names(x)) targets.add(target(x, name));
            if (targets.size() == 1) single(x, targets.get(0));
            else failover(x, targets);
            return Future.succeededFuture();
        } catch (Refusal.Refused r) {
            return Future.failedFuture(r);
        } catch (DialectException e) {
            return Refusal.fail(new Refusal.BadRequest(e.getMessage()));
        }
    }

    /**
     * A native path whose caller speaks another API than its provider (the original's Bedrock paths take Anthropic's):
     * the catalogue entry names the caller's API, the provider its own, and the translation between them is attached
     * here, as the unified endpoint's is, so that the same checks — credentials, a request the target can express —
     * refuse before anything is reserved, and the forwarder, meters and refusals need nothing of their own.
     */
    private Future<Void> translatedNative(Exchange x) {
        if (x.provider.credentialsMissing(x.setting)) return Refusal.fail(new Refusal.Unauthorized("auth credentials are missing"));
        try {
            Translation translation = translations.forEndpoint(x.endpoint.operation(), x.endpoint.ingress(), x.provider);
            x.translation = translation;
            translation.encode(x);
            return Future.succeededFuture();
        } catch (DialectException e) {
            return Refusal.fail(new Refusal.BadRequest(e.getMessage()));
        }
    }

    /**
     * Anthropic's {@code count_tokens}: Anthropic counts its own models; the gateway estimates for any other (after
     * checking the request as Anthropic would, so a malformed one is a 400 either way).
     */
    private void tokenCount(Exchange x, Target t) {
        x.provider = t.provider();
        x.compatibleSettings = t.settings();
        x.setting = SettingChoice.pick(x, x.key, t.provider().name(), t.settings(), groups, random);
        x.info = x.info.withModel(t.model());
        Translation forwarded = translations.tokenCount(t.provider(), t.model());
        if (forwarded != null) {
            x.translation = forwarded;
            forwarded.encode(x);
        } else {
            TokenCountAnswer here = translations.tokenCountHere(t.model());
            here.check(x);
            x.answeredHere = here;
        }
    }

    /** The caller's model, then the entries of {@code models} (OpenRouter's failover list), each once. */
    private static List<String> names(Exchange x) {
        JsonNode body = x.info.json();
        JsonNode list = body == null ? null : body.get("models");
        boolean noList = list == null || list.isNull();
        if (noList && !x.info.model().isEmpty()) return List.of(x.info.model()); // the common case: no set to build
        Set<String> names = new LinkedHashSet<>();
        if (!x.info.model().isEmpty()) names.add(x.info.model());
        if (!noList) {
            if (!list.isArray()) throw refused(new Refusal.BadRequest("'models' must be a list of \"<provider>/<model id>\" strings"));
            for (JsonNode m : list) {
                if (!m.isTextual() || m.asText().isBlank()) {
                    throw refused(new Refusal.BadRequest("'models' must be a list of \"<provider>/<model id>\" strings"));
                }
                names.add(m.asText());
            }
        }
        if (names.isEmpty()) {
            throw refused(new Refusal.BadRequest("'model' is required, as \"<provider>/<model id>\" (e.g. openai/gpt-4o-mini)"));
        }
        if (names.size() > MAX_TARGETS) {
            throw refused(new Refusal.BadRequest("at most " + MAX_TARGETS + " models may be tried in one request"));
        }
        return List.copyOf(names);
    }

    private Target target(Exchange x, String name) {
        int slash = name.indexOf('/');
        String home = homeProvider(x.endpoint.operation());
        String prefix = slash < 0 ? (home == null ? "" : home) : name.substring(0, slash);
        String model = slash < 0 ? (home == null ? "" : name) : name.substring(slash + 1);
        if (name.isEmpty()) {
            throw refused(new Refusal.BadRequest("'model' is required, as \"<provider>/<model id>\" (e.g. openai/gpt-4o-mini)"));
        }
        Provider provider = prefix.isEmpty() ? null : providers.get(prefix).orElse(null);
        if (provider == null || model.isEmpty()) {
            throw refused(new Refusal.BadRequest("model '" + shown(name) + "' must be \"<provider>/<model id>\" with a known provider: "
                    + String.join(", ", providers.names())));
        }
        List<ProviderSetting> settings = new ArrayList<>(2);
        for (ProviderSetting s : x.config.settingsOf(x.key)) if (s.provider().equals(provider.name())) settings.add(s);
        if (settings.isEmpty()) {
            throw refused(new Refusal.Unauthorized("provider setting not found for key " + x.key.keyId() + " and provider " + provider.name()));
        }
        settings.removeIf(provider::credentialsMissing);
        if (settings.isEmpty()) throw refused(new Refusal.Unauthorized("auth credentials are missing for provider " + provider.name()));
        if (!AccessStage.modelAllowed(settings, model)) {
            throw refused(new Refusal.Forbidden("model " + shown(name) + " is not allowed", "model_not_allowed"));
        }
        return new Target(provider, model, List.copyOf(settings));
    }

    private void single(Exchange x, Target t) {
        x.provider = t.provider();
        x.compatibleSettings = t.settings();
        x.setting = SettingChoice.pick(x, x.key, t.provider().name(), t.settings(), groups, random);
        x.info = x.info.withModel(t.model());
        Translation translation = translations.of(x.endpoint.operation(), t.provider(), t.model(), Map.of());
        x.translation = translation;
        translation.encode(x); // refuses what the target cannot express now, before anything is reserved
    }

    /**
     * Several targets run as a route of one-attempt steps (the route forwarder's failover, events and metering),
     * each checked for what its dialect can express first.
     */
    private void failover(Exchange x, List<Target> targets) {
        Map<String, ProviderSetting> settings = new HashMap<>();
        List<RouteStep> steps = new ArrayList<>();
        for (Target t : targets) {
            // each attempt of the route picks its setting by the key's strategy; this one is what admission sees
            settings.putIfAbsent(t.provider().name(), SettingChoice.pick(x, x.key, t.provider().name(), t.settings(), null, random));
            steps.add(new RouteStep(t.provider().name(), t.model(), 0, "", "", Map.of(), Map.of()));
            Exchange probe = x.forAttempt(t.provider(), settings.get(t.provider().name()), x.info.withModel(t.model()), x.body);
            translations.of(x.endpoint.operation(), t.provider(), t.model(), Map.of()).encode(probe);
        }
        x.route = new Route("", 0, 0, "models", x.endpoint.template(), List.of(x.key.keyId()), steps,
                new Route.CacheConfig(false, ""), "", x.endpoint.operation() == Operation.EMBEDDINGS ? "openai_embeddings" : "openai_chat",
                List.of());
        x.routeSettings = Map.copyOf(settings);
        x.compatibleSettings = List.copyOf(settings.values());
        // admission (budget estimate, user checks) sees the first target, the one expected to answer
        x.provider = targets.get(0).provider();
        x.setting = settings.get(x.provider.name());
        x.info = x.info.withModel(targets.get(0).model());
    }

    /**
     * The provider a model id without a provider prefix means, on the APIs that are one vendor's own: Claude Code sends
     * {@code claude-sonnet-4-5}, Codex {@code gpt-5-codex}. The chat and embeddings endpoints always want the prefix.
     */
    private static String homeProvider(Operation operation) {
        return switch (operation) {
            case MESSAGES, TOKEN_COUNT -> "anthropic";
            case RESPONSES -> "openai";
            default -> null;
        };
    }

    /** A model name as the caller sent it, shortened: it is echoed in an error message. */
    private static String shown(String name) {
        return name.length() > 120 ? name.substring(0, 120) + "…" : name;
    }

    private static Refusal.Refused refused(Refusal r) {
        return new Refusal.Refused(r);
    }
}
