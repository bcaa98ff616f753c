package io.bricksllm.store;

import java.util.List;

/**
 * A team (issue 19.1): owns keys and end users (their {@code teamId}) and carries limits under the same
 * names as a key's. 0 / "" = no such limit. The limits are stored and served; admission does not read them yet.
 */
public record Team(
        String id,
        String name,
        List<String> tags,
        long createdAt,
        long updatedAt,
        double costLimitInUsd,
        double costLimitInUsdOverTime,
        String costLimitInUsdUnit,
        int rateLimitOverTime,
        String rateLimitUnit,
        long tokenLimitOverTime,
        String tokenLimitUnit,
        int maxConcurrentRequests,
        List<String> allowedModels,
        List<String> allowedProviders) {

    public Team {
        tags = tags == null ? List.of() : List.copyOf(tags);
        costLimitInUsdUnit = costLimitInUsdUnit == null ? "" : costLimitInUsdUnit;
        rateLimitUnit = rateLimitUnit == null ? "" : rateLimitUnit;
        tokenLimitUnit = tokenLimitUnit == null ? "" : tokenLimitUnit;
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
        allowedProviders = allowedProviders == null ? List.of() : List.copyOf(allowedProviders);
    }
}
