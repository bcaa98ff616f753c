package io.bricksllm.route;

import io.bricksllm.route.balance.TargetGroup;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.Route;
import io.bricksllm.store.RouteStep;
import io.bricksllm.store.RouteTarget;
import io.bricksllm.route.balance.TargetGroups;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.store.ApiKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where one route attempt goes: {@code step} is a plain step (a group step's chosen target with the group's retries,
 * timeout and request parameters), {@code setting} the key's provider setting it uses; for a group, the group and
 * the target's position in it (to report the attempt's end), else null and -1.
 */
record AttemptTarget(RouteStep step, ProviderSetting setting, TargetGroup group, int index, boolean probe) {

    /**
     * The target of an attempt at step {@code stepIndex}: the step itself, or its group's pick among targets not in
     * {@code excluded} (the run's failed ones; all of them again when every healthy one failed). Null when every
     * target of the group is cooling down.
     */
    static AttemptTarget choose(Exchange x, TargetGroups groups, int stepIndex, Set<Integer> excluded, String strategyOverride) {
        Route route = x.route;
        RouteStep s = route.steps().get(stepIndex);
        if (!s.isGroup()) return plain(x, groups, s, excluded);
        TargetGroup group = groups.of(route, stepIndex);
        var pick = group.pick(excluded, strategyOverride);
        if (pick.isEmpty() && !excluded.isEmpty()) pick = group.pick(Set.of(), strategyOverride);
        if (pick.isEmpty()) return null;
        RouteTarget t = pick.get().target();
        RouteStep plain = new RouteStep(t.provider(), t.model(), s.retries(), s.retryInterval(), s.timeout(), t.params(), s.requestParams());
        return new AttemptTarget(plain, setting(x, t), group, pick.get().index(), pick.get().probe());
    }

    /**
     * A plain step: the key's setting for its provider, or — for a key with a {@code settingStrategy} holding several
     * — the pick of the group of those settings, so the key's strategy and health apply and a retry goes to another
     * setting first.
     */
    private static AttemptTarget plain(Exchange x, TargetGroups groups, RouteStep s, Set<Integer> excluded) {
        ApiKey key = x.key;
        if (groups != null && key != null && !key.settingStrategy().isEmpty()) {
            List<ProviderSetting> settings = new ArrayList<>(2);
            for (ProviderSetting p : x.config.settingsOf(key)) if (p.provider().equals(s.provider())) settings.add(p);
            if (settings.size() > 1) {
                TargetGroup group = groups.ofSettings(key, s.provider(), settings);
                var pick = group.pick(excluded, "");
                if (pick.isEmpty() && !excluded.isEmpty()) pick = group.pick(Set.of(), "");
                if (pick.isPresent()) {
                    int i = pick.get().index();
                    return new AttemptTarget(s, settings.get(i), group, i, pick.get().probe());
                }
            }
        }
        return new AttemptTarget(s, x.routeSettings.get(s.provider()), null, -1, false);
    }

    /** The target's own setting when it names one (the key must hold it: checked at authentication), else the provider's. */
    private static ProviderSetting setting(Exchange x, RouteTarget t) {
        if (!t.settingId().isEmpty()) {
            for (ProviderSetting s : x.config.settingsOf(x.key)) if (s.id().equals(t.settingId())) return s;
        }
        return x.routeSettings.get(t.provider());
    }

    String label() {
        return step.provider() + "/" + step.model();
    }
}
