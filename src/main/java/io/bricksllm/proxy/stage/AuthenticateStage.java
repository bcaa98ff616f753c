package io.bricksllm.proxy.stage;

import io.bricksllm.config.GoDuration;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.ProviderSetting;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Finds the gateway key (Authorization: Bearer, x-api-key, api-key or x-goog-api-key; in the query only on the native
 * paths of a provider whose SDKs put their key there, see {@link #presentedSecret}) in the in-memory snapshot,
 * refuses unknown, revoked and expired keys, and picks the provider setting for this path. Only
 * settings of the endpoint's own provider qualify, so one provider's key never reaches another.
 */
public final class AuthenticateStage implements Stage {
    /** The headers that carry a gateway key as such, in the order they are looked at (then Authorization). */
    private static final String[] KEY_HEADERS = {"x-api-key", "api-key", "x-goog-api-key"};

    private final RandomGenerator random;
    private final io.bricksllm.route.balance.TargetGroups groups;

    public AuthenticateStage(RandomGenerator random) {
        this(random, null);
    }

    /** {@code groups}: where keys with a {@code settingStrategy} pick their setting (null: as without one). */
    public AuthenticateStage(RandomGenerator random, io.bricksllm.route.balance.TargetGroups groups) {
        this.random = random;
        this.groups = groups;
    }

    /** Whichever stage picked the setting by the key's strategy, its end is reported here, the outermost of them. */
    @Override
    public void leave(Exchange x, io.bricksllm.proxy.Outcome outcome) {
        SettingChoice.finished(x, outcome);
    }

    @Override
    public Future<Void> enter(Exchange x) {
        String secret = presentedSecret(x);
        if (secret == null) return Refusal.fail(new Refusal.Unauthorized("api key not found in header"));
        // a rotated key's previous secret counts until its grace period ends, measured at the request's receive time
        ApiKey key = x.config.keyForSecret(secret, x.receivedAt).orElse(null);
        if (key == null) return Refusal.fail(new Refusal.Unauthorized("key " + mask(secret) + " is not found"));
        x.key = key;
        if (key.revoked()) return Refusal.fail(new Refusal.Unauthorized("key " + mask(secret) + " has been revoked"));
        if (expired(key, x.receivedAt)) return Refusal.fail(new Refusal.Unauthorized("key " + mask(secret) + " has expired"));

        if (x.route != null) return routeSettings(x, key, secret);
        if (x.endpoint.unified()) return Future.succeededFuture(); // the target stage picks the setting from the model
        List<ProviderSetting> compatible = new ArrayList<>(2);
        for (ProviderSetting s : x.config.settingsOf(key)) {
            if (s.provider().equals(x.endpoint.provider())) compatible.add(s);
        }
        if (compatible.isEmpty()) {
            return Refusal.fail(new Refusal.Unauthorized("provider setting not found for key " + mask(secret)));
        }
        x.compatibleSettings = compatible;
        x.setting = SettingChoice.pick(x, key, x.endpoint.provider(), compatible, groups, random);
        return Future.succeededFuture();
    }

    /** A route may be called only by its keys, holding a setting for every provider its steps use. */
    private Future<Void> routeSettings(Exchange x, ApiKey key, String secret) {
        if (!x.route.keyIds().contains(key.keyId())) {
            return Refusal.fail(new Refusal.Forbidden("key " + mask(secret) + " is not authorized for this route", "route_forbidden"));
        }
        java.util.Map<String, ProviderSetting> byProvider = new java.util.HashMap<>();
        for (ProviderSetting s : x.config.settingsOf(key)) byProvider.putIfAbsent(s.provider(), s);
        java.util.Map<String, ProviderSetting> needed = new java.util.HashMap<>();
        for (var step : x.route.flatSteps()) {
            ProviderSetting s = byProvider.get(step.provider());
            if (s == null) {
                return Refusal.fail(new Refusal.Unauthorized("provider settings associated with the key " + mask(secret)
                        + " are not compatible with the route"));
            }
            needed.put(step.provider(), s);
        }
        // a group target may name one of the key's settings; the key must hold it
        for (var step : x.route.steps()) {
            for (var target : step.targets()) {
                if (!target.settingId().isEmpty() && x.config.settingsOf(key).stream().noneMatch(s -> s.id().equals(target.settingId()))) {
                    return Refusal.fail(new Refusal.Unauthorized("provider settings associated with the key " + mask(secret)
                            + " are not compatible with the route"));
                }
            }
        }
        x.routeSettings = java.util.Map.copyOf(needed);
        x.compatibleSettings = List.copyOf(needed.values());
        return Future.succeededFuture();
    }

    /**
     * The first of x-api-key, api-key, x-goog-api-key (Google's SDKs) and Authorization. Keys are never taken from
     * the URL, with one narrow exception: on a provider's own native paths, the query parameter its SDKs and REST
     * documentation use ({@link io.bricksllm.provider.Provider#keyQueryParameter}: Gemini's {@code ?key=}), which
     * the forwarder strips like every credential-looking parameter. Elsewhere a key in the query is not looked at.
     */
    static String presentedSecret(Exchange x) {
        for (String header : KEY_HEADERS) {
            String v = x.request.getHeader(header);
            if (v != null && !v.isBlank()) return v.trim();
        }
        String v = fromAuthorization(x.request.getHeader("Authorization"));
        if (v != null) return v;
        String param = x.provider == null || x.route != null || x.endpoint.unified() ? null : x.provider.keyQueryParameter();
        if (param == null) return null;
        v = queryParam(x.request.query(), param);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The first value of {@code name} in {@code query}, decoded; null when absent or not decodable (bad input is a 401, not a 500). */
    static String queryParam(String query, String name) {
        if (query == null) return null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0 || !pair.substring(0, eq).equals(name)) continue;
            try {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** "&lt;scheme&gt; &lt;secret&gt;": the secret is what follows the first run of whitespace; null when there is none. */
    static String fromAuthorization(String header) {
        if (header == null) return null;
        String t = header.trim();
        int i = 0;
        while (i < t.length() && !Character.isWhitespace(t.charAt(i))) i++;
        String secret = t.substring(i).trim();
        return secret.isEmpty() ? null : secret;
    }

    static boolean expired(ApiKey key, Instant now) {
        if (key.ttl().isEmpty()) return false;
        try {
            java.time.Duration ttl = GoDuration.parse(key.ttl());
            return !ttl.isZero() && !now.isBefore(Instant.ofEpochSecond(key.createdAt()).plus(ttl));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** At most a short prefix of a secret ever appears in a message. */
    public static String mask(String secret) {
        if (secret.length() <= 5) return secret.charAt(0) + "*****";
        return secret.substring(0, 5) + "*".repeat(10);
    }
}
