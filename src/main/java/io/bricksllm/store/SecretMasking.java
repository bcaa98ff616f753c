package io.bricksllm.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Masks every credential of a provider setting before it is shown by the admin API. */
public final class SecretMasking {
    private SecretMasking() {}

    /**
     * Masks every field but those {@code shown} (the provider's fields that are no secret: a URL, a region, …). An
     * allow-list, not a list of secrets: a field nobody declared (a custom provider's credential, whatever its name; a
     * field a later provider adds) is masked.
     */
    public static ProviderSetting mask(ProviderSetting s, Set<String> shown) {
        Map<String, String> masked = new LinkedHashMap<>();
        s.setting().forEach((k, v) -> masked.put(k, shown.contains(k) ? v : maskValue(v)));
        return new ProviderSetting(s.id(), s.createdAt(), s.updatedAt(), s.provider(), masked, s.name(),
                s.allowedModels(), s.costMap());
    }

    /** Shows at most a short prefix of a long secret, so an operator can tell two keys apart. */
    public static String maskValue(String secret) {
        if (secret == null || secret.isEmpty()) return "";
        if (secret.length() < 16) return "****";
        return secret.substring(0, 3) + "****";
    }
}
