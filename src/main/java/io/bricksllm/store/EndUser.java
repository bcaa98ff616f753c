package io.bricksllm.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An end user of a customer's application (BEHAVIOUR.md §3.9): limits and access rules applied to the
 * requests that carry its {@code userId}, scoped by {@code tags} (a request made with a key sees the
 * user only if the user's tags contain all of the key's tags). {@code id} is the internal id; spend
 * and rate counters are kept under it.
 *
 * <p>Token limit and concurrency cap (issue 19.2), named as a team's and a key's; 0 / "" = no such limit, and then
 * not shown, so a user without them reads as before.
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
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String teamId,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long tokenLimitOverTime,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String tokenLimitUnit,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxConcurrentRequests) {

    /** A user without a token limit or concurrency cap. */
    public EndUser(String id, String userId, String name, long createdAt, long updatedAt, List<String> tags,
                   List<String> keyIds, boolean revoked, String revokedReason, double costLimitInUsd,
                   double costLimitInUsdOverTime, String costLimitInUsdUnit, int rateLimitOverTime, String rateLimitUnit,
                   String ttl, List<PathConfig> allowedPaths, List<String> allowedModels, String teamId) {
        this(id, userId, name, createdAt, updatedAt, tags, keyIds, revoked, revokedReason, costLimitInUsd,
                costLimitInUsdOverTime, costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, allowedPaths,
                allowedModels, teamId, 0, "", 0);
    }

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
        tokenLimitUnit = tokenLimitUnit == null ? "" : tokenLimitUnit;
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

    /** This user with a token limit of {@code amount} per {@code unit} window (0 and "" = none). */
    public EndUser withTokenLimit(long amount, String unit) {
        return new EndUser(id, userId, name, createdAt, updatedAt, tags, keyIds, revoked, revokedReason, costLimitInUsd,
                costLimitInUsdOverTime, costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, allowedPaths,
                allowedModels, teamId, amount, unit, maxConcurrentRequests);
    }

    /** This user with at most {@code max} requests in flight (0 = no cap). */
    public EndUser withMaxConcurrentRequests(int max) {
        return new EndUser(id, userId, name, createdAt, updatedAt, tags, keyIds, revoked, revokedReason, costLimitInUsd,
                costLimitInUsdOverTime, costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, allowedPaths,
                allowedModels, teamId, tokenLimitOverTime, tokenLimitUnit, max);
    }

    /** True when this user is visible to requests made with a key carrying {@code keyTags}. */
    public boolean covers(List<String> keyTags) {
        return tags.containsAll(keyTags);
    }
}
