package io.bricksllm.admin;

import io.bricksllm.route.balance.Strategy;
import io.bricksllm.store.ApiKey;
import java.util.Map;
import java.util.TreeSet;

/**
 * A key's {@code settingStrategy} and {@code settingWeights} (issue 22), checked on the key as it will be stored: the
 * strategy one of the route strategies, weights positive and only for settings the key holds.
 */
final class SettingStrategyValidation {
    static final int MAX_WEIGHT = 1_000_000;

    private SettingStrategyValidation() {}

    /** The key itself when valid; a 400 naming what is wrong otherwise. */
    static ApiKey check(ApiKey key) {
        String strategy = key.settingStrategy();
        if (!strategy.isEmpty() && !Strategy.NAMES.contains(strategy)) {
            throw AdminError.validation("settingStrategy must be one of " + new TreeSet<>(Strategy.NAMES));
        }
        if (key.settingWeights().isEmpty()) return key;
        if (strategy.isEmpty()) throw AdminError.validation("settingWeights needs a settingStrategy");
        for (Map.Entry<String, Integer> w : key.settingWeights().entrySet()) {
            if (!key.allSettingIds().contains(w.getKey())) {
                throw AdminError.validation("settingWeights names setting " + w.getKey() + ", which the key does not have");
            }
            if (w.getValue() == null || w.getValue() < 1 || w.getValue() > MAX_WEIGHT) {
                throw AdminError.validation("settingWeights of " + w.getKey() + " must be a whole number from 1 to " + MAX_WEIGHT);
            }
        }
        return key;
    }
}
