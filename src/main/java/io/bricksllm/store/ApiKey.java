package io.bricksllm.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A gateway key as stored and as the admin API shows it (field names as the original emits them).
 * {@code key} is the stored form of the secret: SHA-256 hex, or the raw secret when {@code isKeyNotHashed}.
 */
public record ApiKey(
        String name,
        long createdAt,
        long updatedAt,
        List<String> tags,
        String keyId,
        boolean revoked,
        String key,
        String revokedReason,
        double costLimitInUsd,
        double costLimitInUsdOverTime,
        String costLimitInUsdUnit,
        int rateLimitOverTime,
        String rateLimitUnit,
        String ttl,
        String settingId,
        List<PathConfig> allowedPaths,
        List<String> settingIds,
        boolean shouldLogRequest,
        boolean shouldLogResponse,
        boolean rotationEnabled,
        String policyId,
        @JsonProperty("isKeyNotHashed") boolean isKeyNotHashed) {

    public ApiKey {
        tags = tags == null ? List.of() : List.copyOf(tags);
        settingIds = settingIds == null ? List.of() : List.copyOf(settingIds);
        allowedPaths = allowedPaths == null ? null : List.copyOf(allowedPaths);
        revokedReason = revokedReason == null ? "" : revokedReason;
        costLimitInUsdUnit = costLimitInUsdUnit == null ? "" : costLimitInUsdUnit;
        rateLimitUnit = rateLimitUnit == null ? "" : rateLimitUnit;
        ttl = ttl == null ? "" : ttl;
        settingId = settingId == null ? "" : settingId;
        policyId = policyId == null ? "" : policyId;
    }

    /** Setting ids in the order the proxy considers them: legacy {@code settingId} first. */
    public List<String> allSettingIds() {
        if (settingId.isEmpty()) return settingIds;
        if (settingIds.isEmpty()) return List.of(settingId);
        var all = new java.util.ArrayList<String>(settingIds.size() + 1);
        all.add(settingId);
        for (String id : settingIds) if (!id.equals(settingId)) all.add(id);
        return List.copyOf(all);
    }
}
