package io.bricksllm.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Credentials and parameters for one upstream provider. {@code setting} holds secrets in clear here;
 * {@link SecretMasking} must be applied before anything leaves the process.
 */
public record ProviderSetting(
        String id,
        long createdAt,
        long updatedAt,
        String provider,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> setting,
        String name,
        List<String> allowedModels,
        CostMap costMap) {

    public ProviderSetting {
        setting = setting == null ? Map.of() : Map.copyOf(setting);
        name = name == null ? "" : name;
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    }

    public String get(String field) {
        return setting.getOrDefault(field, "");
    }
}
