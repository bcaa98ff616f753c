package io.bricksllm.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The immutable in-memory view of configuration the proxy reads: nothing on the request path touches
 * the database. A new snapshot replaces the old one atomically after every change.
 */
public record ConfigSnapshot(long version,
                             Map<String, ApiKey> keysByStoredSecret,
                             Map<String, ApiKey> keysById,
                             Map<String, ProviderSetting> settingsById,
                             Map<String, CustomProvider> customProvidersByName,
                             Map<String, Route> routesByPath,
                             Map<String, Policy> policiesById,
                             Map<String, List<EndUser>> usersByUserId,
                             Map<String, ApiKey> keysByPreviousSecretHash,
                             Map<String, Team> teamsById) {

    public static final ConfigSnapshot EMPTY = new ConfigSnapshot(0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
            Map.of(), Map.of());

    public static ConfigSnapshot of(long version, List<ApiKey> keys, List<ProviderSetting> settings) {
        return of(version, keys, settings, List.of(), List.of(), List.of());
    }

    public static ConfigSnapshot of(long version, List<ApiKey> keys, List<ProviderSetting> settings,
                                    List<CustomProvider> customProviders, List<Route> routes, List<Policy> policies) {
        return of(version, keys, settings, customProviders, routes, policies, List.of());
    }

    public static ConfigSnapshot of(long version, List<ApiKey> keys, List<ProviderSetting> settings,
                                    List<CustomProvider> customProviders, List<Route> routes, List<Policy> policies,
                                    List<EndUser> users) {
        return of(version, keys, settings, customProviders, routes, policies, users, List.of());
    }

    /** {@code teams}: read by the admission stage that applies team limits (issue 19.1); nothing reads them yet. */
    public static ConfigSnapshot of(long version, List<ApiKey> keys, List<ProviderSetting> settings,
                                    List<CustomProvider> customProviders, List<Route> routes, List<Policy> policies,
                                    List<EndUser> users, List<Team> teams) {
        Map<String, ApiKey> bySecret = new HashMap<>(keys.size() * 2);
        Map<String, ApiKey> byId = new HashMap<>(keys.size() * 2);
        // a rotated key's previous secret, kept whatever its expiry: the expiry is checked per request against the
        // request's own time (keyForSecret), so the old secret stops at its deadline without waiting for a reload
        Map<String, ApiKey> byPrevious = new HashMap<>();
        for (ApiKey k : keys) {
            bySecret.put(k.key(), k);
            byId.put(k.keyId(), k);
            if (k.previousKey() != null) byPrevious.put(k.previousKey(), k);
        }
        Map<String, ProviderSetting> settingMap = new HashMap<>(settings.size() * 2);
        for (ProviderSetting s : settings) settingMap.put(s.id(), s);
        Map<String, CustomProvider> custom = new HashMap<>();
        for (CustomProvider p : customProviders) custom.put(p.provider(), p);
        Map<String, Route> routeMap = new HashMap<>();
        for (Route r : routes) routeMap.put(r.path(), r);
        Map<String, Policy> policyMap = new HashMap<>();
        for (Policy p : policies) policyMap.put(p.id(), p);
        Map<String, List<EndUser>> userMap = new HashMap<>();
        for (EndUser u : users) userMap.computeIfAbsent(u.userId(), k -> new ArrayList<>()).add(u);
        userMap.replaceAll((k, v) -> List.copyOf(v));
        Map<String, Team> teamMap = new HashMap<>();
        for (Team t : teams) teamMap.put(t.id(), t);
        return new ConfigSnapshot(version, Map.copyOf(bySecret), Map.copyOf(byId), Map.copyOf(settingMap), Map.copyOf(custom),
                Map.copyOf(routeMap), Map.copyOf(policyMap), Map.copyOf(userMap), Map.copyOf(byPrevious), Map.copyOf(teamMap));
    }

    /**
     * The one user with this user id that a request made with {@code key} sees (its tags contain all the
     * key's tags); empty when none or several do (BEHAVIOUR.md §5.7).
     */
    public Optional<EndUser> userFor(String userId, ApiKey key) {
        if (userId == null || userId.isEmpty()) return Optional.empty();
        EndUser found = null;
        for (EndUser u : usersByUserId.getOrDefault(userId, List.of())) {
            if (!u.covers(key.tags())) continue;
            if (found != null) return Optional.empty();
            found = u;
        }
        return Optional.ofNullable(found);
    }

    /**
     * The key whose current secret a caller presented: by SHA-256 of the secret, else by the raw secret for unhashed
     * keys. A rotated key's previous secret is not looked at: see {@link #keyForSecret(String, Instant)}.
     */
    public Optional<ApiKey> keyForSecret(String presented) {
        return Optional.ofNullable(current(presented, SecretHash.sha256Hex(presented)));
    }

    /**
     * The key a caller presented at {@code at} (the request's receive time): by its current secret, else by the
     * previous secret of a rotated key while its grace period lasts. A current secret wins over another key's
     * previous one.
     */
    public Optional<ApiKey> keyForSecret(String presented, Instant at) {
        String hash = SecretHash.sha256Hex(presented);
        ApiKey k = current(presented, hash);
        if (k != null) return Optional.of(k);
        k = keysByPreviousSecretHash.get(hash);
        return k != null && k.previousKeyValidAt(at) ? Optional.of(k) : Optional.empty();
    }

    /** True when {@code presented} is, or was before a rotation, a key's secret: a credential never to forward. */
    public boolean isGatewaySecret(String presented) {
        String hash = SecretHash.sha256Hex(presented);
        return current(presented, hash) != null || keysByPreviousSecretHash.containsKey(hash);
    }

    private ApiKey current(String presented, String hash) {
        ApiKey k = keysByStoredSecret.get(hash);
        if (k != null && !k.isKeyNotHashed()) return k;
        k = keysByStoredSecret.get(presented);
        return k != null && k.isKeyNotHashed() ? k : null;
    }

    /** The key's provider settings that still exist, legacy {@code settingId} first. */
    public List<ProviderSetting> settingsOf(ApiKey key) {
        List<ProviderSetting> out = new ArrayList<>();
        for (String id : key.allSettingIds()) {
            ProviderSetting s = settingsById.get(id);
            if (s != null) out.add(s);
        }
        return out;
    }
}
