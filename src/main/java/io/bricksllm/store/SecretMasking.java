package io.bricksllm.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Masks every credential of a provider setting before it is shown by the admin API. */
public final class SecretMasking {
    /** Setting fields that are never shown in clear, whatever the provider. */
    private static final Set<String> SECRET_FIELDS = Set.of("apikey", "awsSecretAccessKey", "awsAccessKeyId");

    private SecretMasking() {}

    public static ProviderSetting mask(ProviderSetting s, String customAuthParam) {
        Map<String, String> masked = new LinkedHashMap<>();
        s.setting().forEach((k, v) -> masked.put(k,
                SECRET_FIELDS.contains(k) || k.equalsIgnoreCase(customAuthParam) ? maskValue(v) : v));
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
