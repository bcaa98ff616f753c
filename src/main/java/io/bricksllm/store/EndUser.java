package io.bricksllm.store;

import com.fasterxml.jackson.annotation.JsonInclude;
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
        List<String> allowedModels,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String teamId) {

    /** A user in no team (issue 19.1); {@code teamId} "" = none, and then not shown. */
    public EndUser(String id, String userId, String name, long createdAt, long updatedAt, List<String> tags,
                   List<String> keyIds, boolean revoked, String revokedReason, double costLimitInUsd,
                   double costLimitInUsdOverTime, String costLimitInUsdUnit, int rateLimitOverTime, String rateLimitUnit,
                   String ttl, List<PathConfig> allowedPaths, List<String> allowedModels) {
        this(id, userId, name, createdAt, updatedAt, tags, keyIds, revoked, revokedReason, costLimitInUsd,
                costLimitInUsdOverTime, costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, allowedPaths,
                allowedModels, "");
    }

    public EndUser {
        teamId = teamId == null ? "" : teamId;
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
