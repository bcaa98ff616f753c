package io.bricksllm.store;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the current {@link ConfigSnapshot}. {@link #reload()} reads the database and swaps the
 * snapshot atomically; readers call {@link #current()} and never block.
 */
public final class LiveConfig {
    private final KeyRepository keys;
    private final ProviderSettingRepository settings;
    private final CustomProviderRepository customProviders;
    private final RouteRepository routes;
    private final PolicyRepository policies;
    private final UserRepository users;
    private final TeamRepository teams;
    private final AtomicReference<ConfigSnapshot> current = new AtomicReference<>(ConfigSnapshot.EMPTY);
    private long version;

    public LiveConfig(KeyRepository keys, ProviderSettingRepository settings) {
        this(keys, settings, null, null, null);
    }

    public LiveConfig(KeyRepository keys, ProviderSettingRepository settings, CustomProviderRepository customProviders,
                      RouteRepository routes, PolicyRepository policies) {
        this(keys, settings, customProviders, routes, policies, null);
    }

    public LiveConfig(KeyRepository keys, ProviderSettingRepository settings, CustomProviderRepository customProviders,
                      RouteRepository routes, PolicyRepository policies, UserRepository users) {
        this(keys, settings, customProviders, routes, policies, users, null);
    }

    public LiveConfig(KeyRepository keys, ProviderSettingRepository settings, CustomProviderRepository customProviders,
                      RouteRepository routes, PolicyRepository policies, UserRepository users, TeamRepository teams) {
        this.teams = teams;
        this.keys = keys;
        this.settings = settings;
        this.customProviders = customProviders;
        this.routes = routes;
        this.policies = policies;
        this.users = users;
    }

    private volatile Runnable announcer = () -> {};

    /** Called after every local change, to tell other instances (scale-out change feed). */
    public void announceWith(Runnable announcer) {
        this.announcer = announcer;
    }

    /** After an admin write: reload here at once, then tell the other instances. Blocking. */
    public ConfigSnapshot changed() {
        ConfigSnapshot s = reload();
        announcer.run();
        return s;
    }

    public ConfigSnapshot current() {
        return current.get();
    }

    /** Blocking: reads every key, setting, route, policy, user and team. Serialised so that a later reload never loses to an earlier one. */
    public synchronized ConfigSnapshot reload() {
        ConfigSnapshot next = ConfigSnapshot.of(++version, keys.findAll(), settings.findAll(),
                customProviders == null ? java.util.List.of() : customProviders.findAll(),
                routes == null ? java.util.List.of() : routes.findAll(),
                policies == null ? java.util.List.of() : policies.findAll(),
                users == null ? java.util.List.of() : users.findAll(),
                teams == null ? java.util.List.of() : teams.findAll());
        current.set(next);
        return next;
    }
}
