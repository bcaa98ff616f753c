package io.bricksllm.store;

import java.util.List;

/**
 * An end user of a customer's application (BEHAVIOUR.md §3.9): limits and access rules applied to the
 * requests that carry its {@code userId}, scoped by {@code tags} (a request made with a key sees the
 * user only if the user's tags contain all of the key's tags). {@code id} is the internal id; spend
 * and rate counters are kept under it.
 */
public record EndUser(
        String id,
        String userId,
        String name,
        long createdAt,
        long updatedAt,
        List<String> tags,
        List<String> keyIds,
        boolean revoked,
        String revokedReason,
        double costLimitInUsd,
        double costLimitInUsdOverTime,
        String costLimitInUsdUnit,
        int rateLimitOverTime,
        String rateLimitUnit,
        String ttl,
        List<PathConfig> allowedPaths,
        List<String> allowedModels) {

    public EndUser {
        userId = userId == null ? "" : userId;
        tags = tags == null ? List.of() : List.copyOf(tags);
        keyIds = keyIds == null ? List.of() : List.copyOf(keyIds);
        revokedReason = revokedReason == null ? "" : revokedReason;
        costLimitInUsdUnit = costLimitInUsdUnit == null ? "" : costLimitInUsdUnit;
        rateLimitUnit = rateLimitUnit == null ? "" : rateLimitUnit;
        ttl = ttl == null ? "" : ttl;
        allowedPaths = allowedPaths == null ? null : List.copyOf(allowedPaths);
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    }

    /** True when this user is visible to requests made with a key carrying {@code keyTags}. */
    public boolean covers(List<String> keyTags) {
        return tags.containsAll(keyTags);
    }
}
