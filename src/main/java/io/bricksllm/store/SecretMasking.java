package io.bricksllm.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Masks every credential of a provider setting before it is shown by the admin API. */
public final class SecretMasking {
    /**
     * The only setting fields shown in clear. Everything else is masked: a list of secrets would miss the
     * credential of a custom provider whose row is gone or renamed, or any field a later provider adds.
     */
    private static final Set<String> PUBLIC_FIELDS = Set.of("url", "resourceName", "awsRegion", "apiVersion");

    private SecretMasking() {}

    /** {@code customAuthParam} is masked even if a custom provider chose a public-looking name for it. */
    public static ProviderSetting mask(ProviderSetting s, String customAuthParam) {
        Map<String, String> masked = new LinkedHashMap<>();
        s.setting().forEach((k, v) -> masked.put(k,
                !PUBLIC_FIELDS.contains(k) || k.equalsIgnoreCase(customAuthParam) ? maskValue(v) : v));
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
