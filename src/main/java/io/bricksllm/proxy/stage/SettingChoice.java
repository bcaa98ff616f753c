package io.bricksllm.proxy.stage;

import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Outcome;
import io.bricksllm.route.balance.TargetGroup;
import io.bricksllm.route.balance.TargetGroups;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.ProviderSetting;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Which of a key's several settings for one provider a request uses (issue 22): a key with a {@code settingStrategy}
 * picks with the route strategies and health (a setting failing five times in a minute cools down for 30 s, then is
 * probed), and its request's end is reported back ({@link #finished}); a key without one behaves as before — the
 * first setting, or a random one with {@code rotationEnabled}.
 */
final class SettingChoice {
    private SettingChoice() {}

    static ProviderSetting pick(Exchange x, ApiKey key, String provider, List<ProviderSetting> settings, TargetGroups groups,
                                RandomGenerator random) {
        if (settings.size() > 1 && groups != null && !key.settingStrategy().isEmpty()) {
            TargetGroup group = groups.ofSettings(key, provider, settings);
            var pick = group.pick(Set.of(), "");
            // every setting cooling down: the first, as without a strategy (its answer still counts toward its health)
            int i = pick.map(TargetGroup.Pick::index).orElse(0);
            finished(x, null); // a request picks once; a second pick (a unified request's other target) replaces the first
            x.settingGroup = group;
            x.settingIndex = i;
            group.started(i);
            return settings.get(i);
        }
        return key.rotationEnabled() && settings.size() > 1 ? settings.get(random.nextInt(settings.size())) : settings.get(0);
    }

    /**
     * Reports how the request at the picked setting ended: a failure when the upstream answered 429 or 5xx, or could
     * not be reached or timed out; refusals of the gateway itself (limits, policies) say nothing about the setting.
     * {@code outcome} null: the pick is dropped without a verdict.
     */
    static void finished(Exchange x, Outcome outcome) {
        TargetGroup group = x.settingGroup;
        if (group == null) return;
        x.settingGroup = null;
        boolean answered = x.upstreamAnsweredNanos > 0;
        int status = outcome == null ? 0 : outcome.status();
        boolean failed = answered ? status == 429 || status >= 500 : status == 502 || status == 504;
        long firstByte = answered ? (x.upstreamAnsweredNanos - x.startNanos) / 1_000_000 : -1;
        if (outcome == null || (!answered && !failed)) {
            group.released(x.settingIndex); // no verdict: a probe not sent must not bring a setting back
        } else {
            group.finished(x.settingIndex, failed ? TargetGroup.Result.FAILED : TargetGroup.Result.ANSWERED, firstByte);
        }
    }
}
