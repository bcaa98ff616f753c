package io.bricksllm.route.balance;

import io.bricksllm.config.GoDuration;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.Route;
import io.bricksllm.store.RouteTarget;
import io.bricksllm.store.RouteStep;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The target groups of every route, made on first use and remade when the route's step changes (its health then
 * starts afresh). Exports one gauge per target and state ({@value #STATE}, 1 for the state the target is in):
 * tags are the route's id, the step's position and the target's position, bounded by the routes configured.
 */
public final class TargetGroups {
    public static final String STATE = "bricksllm.route.target_state";

    private record Entry(RouteStep step, boolean sharesLoad, TargetGroup group) {}

    private final Map<String, Entry> groups = new ConcurrentHashMap<>();
    private final HealthBook book;
    private final RandomGenerator random;
    private final LongSupplier clock;
    private final MeterRegistry registry;
    private final SharedLoad load;

    public TargetGroups(HealthBook book, RandomGenerator random, LongSupplier clock, MeterRegistry registry) {
        this(book, SharedLoad.NONE, random, clock, registry);
    }

    /**
     * {@code load}: in-flight counts across instances, used by the groups that may pick least-busy (their strategy,
     * or any strategy when the route lets requests override it); the others keep their counts to themselves.
     */
    public TargetGroups(HealthBook book, SharedLoad load, RandomGenerator random, LongSupplier clock, MeterRegistry registry) {
        this.load = load;
        this.book = book;
        this.random = random;
        this.clock = clock;
        this.registry = registry;
    }

    /** The group of step {@code stepIndex} of {@code route}, which must be a group step. */
    public TargetGroup of(Route route, int stepIndex) {
        RouteStep step = route.steps().get(stepIndex);
        String id = route.id() + "#" + stepIndex;
        boolean shares = Strategy.LEAST_BUSY.equals(step.strategy()) || route.allowStrategyOverride();
        Entry e = groups.get(id);
        if (e != null && e.step().equals(step) && e.sharesLoad() == shares) return e.group();
        Entry made = groups.compute(id, (k, old) -> old != null && old.step().equals(step) && old.sharesLoad() == shares ? old
                : new Entry(step, shares, make(id, step, shares ? load : SharedLoad.NONE)));
        if (registry != null && (e == null || e.group() != made.group())) gauges(route.id(), stepIndex, id, step.targets().size());
        return made.group();
    }

    /** The groups of a route, in step order: (step position, group). */
    public List<Map.Entry<Integer, TargetGroup>> of(Route route) {
        List<Map.Entry<Integer, TargetGroup>> out = new ArrayList<>();
        for (int i = 0; i < route.steps().size(); i++) {
            if (route.steps().get(i).isGroup()) out.add(Map.entry(i, of(route, i)));
        }
        return out;
    }

    private record SettingsEntry(String strategy, List<RouteTarget> targets, TargetGroup group) {}

    private final Map<String, SettingsEntry> keySettings = new ConcurrentHashMap<>();

    /**
     * The group of a key's several settings for one provider, picked among by the key's {@code settingStrategy}
     * with the route strategies' health defaults (a failing setting cools down). Remade when the key's strategy,
     * weights or settings change.
     */
    public TargetGroup ofSettings(ApiKey key, String provider, List<ProviderSetting> settings) {
        List<RouteTarget> targets = new ArrayList<>(settings.size());
        for (ProviderSetting s : settings) {
            targets.add(new RouteTarget(provider, "", s.id(), key.settingWeights().getOrDefault(s.id(), 1), Map.of()));
        }
        String id = "key:" + key.keyId() + ":" + provider;
        SettingsEntry e = keySettings.get(id);
        if (e != null && e.strategy().equals(key.settingStrategy()) && e.targets().equals(targets)) return e.group();
        return keySettings.compute(id, (k, old) -> old != null && old.strategy().equals(key.settingStrategy()) && old.targets().equals(targets) ? old
                : new SettingsEntry(key.settingStrategy(), targets, new TargetGroup(id, targets, key.settingStrategy(), DEFAULTS, book,
                        Strategy.LEAST_BUSY.equals(key.settingStrategy()) ? load : SharedLoad.NONE, random, clock))).group();
    }

    private static final HealthSettings DEFAULTS = new HealthSettings(RouteStep.DEFAULT_FAILURE_THRESHOLD,
            GoDuration.parse(RouteStep.DEFAULT_FAILURE_WINDOW), GoDuration.parse(RouteStep.DEFAULT_COOLDOWN));

    public static HealthSettings settings(RouteStep s) {
        int threshold = s.failureThreshold() == null ? RouteStep.DEFAULT_FAILURE_THRESHOLD : s.failureThreshold();
        Duration window = GoDuration.parse(s.failureWindow().isEmpty() ? RouteStep.DEFAULT_FAILURE_WINDOW : s.failureWindow());
        Duration cooldown = GoDuration.parse(s.cooldown().isEmpty() ? RouteStep.DEFAULT_COOLDOWN : s.cooldown());
        return new HealthSettings(threshold, window, cooldown);
    }

    private TargetGroup make(String id, RouteStep step, SharedLoad load) {
        return new TargetGroup(id, step.targets(), step.strategy(), settings(step), book, load, random, clock);
    }

    /** Read through the map each time, so a remade group is what the gauges show. */
    private void gauges(String routeId, int stepIndex, String id, int targets) {
        for (int i = 0; i < targets; i++) {
            int target = i;
            for (HealthState state : HealthState.values()) {
                Gauge.builder(STATE, () -> {
                            Entry e = groups.get(id);
                            if (e == null || target >= e.group().targets().size()) return 0;
                            return e.group().state(target) == state ? 1 : 0;
                        })
                        .description("1 when the route target is in this health state")
                        .tags("route", routeId, "step", String.valueOf(stepIndex + 1), "target", String.valueOf(target + 1), "state", state.label())
                        .register(registry);
            }
        }
    }
}
