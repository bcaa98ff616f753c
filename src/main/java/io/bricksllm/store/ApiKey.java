package io.bricksllm.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A gateway key as stored and as the admin API shows it (field names as the original emits them).
 * {@code key} is the stored form of the secret: SHA-256 hex, or the raw secret when {@code isKeyNotHashed}.
 *
 * <p>Rotation (issue 19.6): {@code previousKey} is the SHA-256 hex of the secret before the last rotation, accepted
 * until {@code previousKeyExpiresAt} (Unix seconds); null when there is none. Only one previous secret is kept:
 * rotating again during a grace period replaces it. It is never shown; {@code rotatedAt} and
 * {@code previousKeyExpiresAt} are, and only once the key was rotated (absent = never).
 *
 * <p>Token limit and concurrency cap (issue 19.2), named as a team's: {@code tokenLimitOverTime} tokens (input +
 * output) per {@code tokenLimitUnit} window, at most {@code maxConcurrentRequests} in flight; 0 / "" = no such limit,
 * and then not shown, so a key without them reads as before.
 *
 * <p>Setting strategy (issue 22): {@code settingStrategy} picks among the key's several settings for one provider with
 * the route strategies, weighted by {@code settingWeights}; shown only when set.
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
        @JsonProperty("isKeyNotHashed") boolean isKeyNotHashed,
        @JsonIgnore String previousKey,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long previousKeyExpiresAt,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long rotatedAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String teamId,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long tokenLimitOverTime,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String tokenLimitUnit,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxConcurrentRequests,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String settingStrategy,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> settingWeights) {

    /** A key without a token limit or concurrency cap. */
    public ApiKey(String name, long createdAt, long updatedAt, List<String> tags, String keyId, boolean revoked, String key,
                  String revokedReason, double costLimitInUsd, double costLimitInUsdOverTime, String costLimitInUsdUnit,
                  int rateLimitOverTime, String rateLimitUnit, String ttl, String settingId, List<PathConfig> allowedPaths,
                  List<String> settingIds, boolean shouldLogRequest, boolean shouldLogResponse, boolean rotationEnabled,
                  String policyId, boolean isKeyNotHashed, String previousKey, long previousKeyExpiresAt, long rotatedAt,
                  String teamId) {
        this(name, createdAt, updatedAt, tags, keyId, revoked, key, revokedReason, costLimitInUsd, costLimitInUsdOverTime,
                costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, settingId, allowedPaths, settingIds,
                shouldLogRequest, shouldLogResponse, rotationEnabled, policyId, isKeyNotHashed, previousKey,
                previousKeyExpiresAt, rotatedAt, teamId, 0, "", 0, "", Map.of());
    }

    /** A key in no team (issue 19.1); {@code teamId} "" = none, and then not shown. */
    public ApiKey(String name, long createdAt, long updatedAt, List<String> tags, String keyId, boolean revoked, String key,
                  String revokedReason, double costLimitInUsd, double costLimitInUsdOverTime, String costLimitInUsdUnit,
                  int rateLimitOverTime, String rateLimitUnit, String ttl, String settingId, List<PathConfig> allowedPaths,
                  List<String> settingIds, boolean shouldLogRequest, boolean shouldLogResponse, boolean rotationEnabled,
                  String policyId, boolean isKeyNotHashed, String previousKey, long previousKeyExpiresAt, long rotatedAt) {
        this(name, createdAt, updatedAt, tags, keyId, revoked, key, revokedReason, costLimitInUsd, costLimitInUsdOverTime,
                costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, settingId, allowedPaths, settingIds,
                shouldLogRequest, shouldLogResponse, rotationEnabled, policyId, isKeyNotHashed, previousKey,
                previousKeyExpiresAt, rotatedAt, "");
    }

    /** A key that was never rotated. */
    public ApiKey(String name, long createdAt, long updatedAt, List<String> tags, String keyId, boolean revoked, String key,
                  String revokedReason, double costLimitInUsd, double costLimitInUsdOverTime, String costLimitInUsdUnit,
                  int rateLimitOverTime, String rateLimitUnit, String ttl, String settingId, List<PathConfig> allowedPaths,
                  List<String> settingIds, boolean shouldLogRequest, boolean shouldLogResponse, boolean rotationEnabled,
                  String policyId, boolean isKeyNotHashed) {
        this(name, createdAt, updatedAt, tags, keyId, revoked, key, revokedReason, costLimitInUsd, costLimitInUsdOverTime,
                costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, settingId, allowedPaths, settingIds,
                shouldLogRequest, shouldLogResponse, rotationEnabled, policyId, isKeyNotHashed, null, 0, 0);
    }

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
        teamId = teamId == null ? "" : teamId;
        tokenLimitUnit = tokenLimitUnit == null ? "" : tokenLimitUnit;
        settingStrategy = settingStrategy == null ? "" : settingStrategy;
        settingWeights = settingWeights == null ? Map.of() : Map.copyOf(settingWeights);
    }

    /**
     * This key choosing among its several settings for one provider by {@code strategy} (issue 22; "" = as before:
     * the first, or a random one with {@code rotationEnabled}), weighting them by {@code weights} (setting id →
     * weight; a setting not named weighs 1).
     */
    public ApiKey withSettingStrategy(String strategy, Map<String, Integer> weights) {
        return new ApiKey(name, createdAt, updatedAt, tags, keyId, revoked, key, revokedReason, costLimitInUsd,
                costLimitInUsdOverTime, costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, settingId, allowedPaths,
                settingIds, shouldLogRequest, shouldLogResponse, rotationEnabled, policyId, isKeyNotHashed, previousKey,
                previousKeyExpiresAt, rotatedAt, teamId, tokenLimitOverTime, tokenLimitUnit, maxConcurrentRequests,
                strategy, weights);
    }

    /** This key moved to team {@code id} ("" = none). */
    public ApiKey withTeamId(String id) {
        return new ApiKey(name, createdAt, updatedAt, tags, keyId, revoked, key, revokedReason, costLimitInUsd,
                costLimitInUsdOverTime, costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, settingId, allowedPaths,
                settingIds, shouldLogRequest, shouldLogResponse, rotationEnabled, policyId, isKeyNotHashed, previousKey,
                previousKeyExpiresAt, rotatedAt, id, tokenLimitOverTime, tokenLimitUnit, maxConcurrentRequests,
                settingStrategy, settingWeights);
    }

    /** This key with a token limit of {@code amount} per {@code unit} window (0 and "" = none). */
    public ApiKey withTokenLimit(long amount, String unit) {
        return new ApiKey(name, createdAt, updatedAt, tags, keyId, revoked, key, revokedReason, costLimitInUsd,
                costLimitInUsdOverTime, costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, settingId, allowedPaths,
                settingIds, shouldLogRequest, shouldLogResponse, rotationEnabled, policyId, isKeyNotHashed, previousKey,
                previousKeyExpiresAt, rotatedAt, teamId, amount, unit, maxConcurrentRequests,
                settingStrategy, settingWeights);
    }

    /** This key with at most {@code max} requests in flight (0 = no cap). */
    public ApiKey withMaxConcurrentRequests(int max) {
        return new ApiKey(name, createdAt, updatedAt, tags, keyId, revoked, key, revokedReason, costLimitInUsd,
                costLimitInUsdOverTime, costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, settingId, allowedPaths,
                settingIds, shouldLogRequest, shouldLogResponse, rotationEnabled, policyId, isKeyNotHashed, previousKey,
                previousKeyExpiresAt, rotatedAt, teamId, tokenLimitOverTime, tokenLimitUnit, max,
                settingStrategy, settingWeights);
    }

    /** True while the previous secret (if any) still authenticates at {@code at}. */
    public boolean previousKeyValidAt(java.time.Instant at) {
        return previousKey != null && at.isBefore(java.time.Instant.ofEpochSecond(previousKeyExpiresAt));
    }

    /**
     * This key with a new stored secret (always SHA-256 hex: rotation also ends a raw-stored secret) and
     * {@code previousHash} accepted until {@code previousExpiresAt}; null drops the previous secret.
     */
    public ApiKey rotated(String newHash, String previousHash, long previousExpiresAt, long now) {
        return new ApiKey(name, createdAt, now, tags, keyId, revoked, newHash, revokedReason, costLimitInUsd,
                costLimitInUsdOverTime, costLimitInUsdUnit, rateLimitOverTime, rateLimitUnit, ttl, settingId, allowedPaths,
                settingIds, shouldLogRequest, shouldLogResponse, rotationEnabled, policyId, false, previousHash,
                previousExpiresAt, now, teamId, tokenLimitOverTime, tokenLimitUnit, maxConcurrentRequests,
                settingStrategy, settingWeights);
    }

    /** The SHA-256 hex of the current secret, whichever form it is stored in. */
    public String keyHash() {
        return isKeyNotHashed ? SecretHash.sha256Hex(key) : key;
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
