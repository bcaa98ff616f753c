package io.bricksllm.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The team rules (issue 19.1): a key's field checks and unit pairing (from {@link KeyValidation}, same
 * messages), the token limit (paired with its unit like the rate limit, same units) and the concurrency cap
 * included, as keys and users have them too.
 */
final class TeamValidation {
    private TeamValidation() {}

    static void checkCreate(TeamAdmin.CreateTeam r) {
        List<String> invalid = new ArrayList<>();
        if (KeyValidation.blank(r.name()) || r.name().length() > KeyValidation.MAX_NAME) invalid.add("name");
        if (anyBlank(r.tags())) invalid.add("tags");
        if (KeyValidation.badAmount(r.costLimitInUsd())) invalid.add("costLimitInUsd");
        if (KeyValidation.badAmount(r.costLimitInUsdOverTime())) invalid.add("costLimitInUsdOverTime");
        if (KeyValidation.num(r.rateLimitOverTime()) < 0) invalid.add("rateLimitOverTime");
        KeyValidation.addNegativeTokenOrConcurrency(f -> true, r.tokenLimitOverTime(), r.maxConcurrentRequests(), invalid);
        if (anyBlank(r.allowedModels())) invalid.add("allowedModels");
        if (anyBlank(r.allowedProviders())) invalid.add("allowedProviders");
        if (!invalid.isEmpty()) throw KeyValidation.fieldsInvalid(invalid);
        KeyValidation.checkCreateUnits(r.rateLimitOverTime(), r.rateLimitUnit(), r.costLimitInUsdOverTime(), r.costLimitInUsdUnit());
        KeyValidation.checkTokenPair(r.tokenLimitOverTime(), r.tokenLimitUnit());
    }

    /** {@code p} says which fields were present in the body. */
    static void checkUpdate(TeamAdmin.UpdateTeam r, Predicate<String> p) {
        List<String> invalid = new ArrayList<>();
        if (r.name() != null && r.name().length() > KeyValidation.MAX_NAME) invalid.add("name");
        if (anyBlank(r.tags())) invalid.add("tags");
        if (KeyValidation.badAmount(r.costLimitInUsd())) invalid.add("costLimitInUsd");
        if (KeyValidation.badAmount(r.costLimitInUsdOverTime())) invalid.add("costLimitInUsdOverTime");
        if (p.test("rateLimitOverTime") && KeyValidation.num(r.rateLimitOverTime()) < 0) invalid.add("rateLimitOverTime");
        KeyValidation.addNegativeTokenOrConcurrency(p, r.tokenLimitOverTime(), r.maxConcurrentRequests(), invalid);
        if (anyBlank(r.allowedModels())) invalid.add("allowedModels");
        if (anyBlank(r.allowedProviders())) invalid.add("allowedProviders");
        if (!invalid.isEmpty()) throw KeyValidation.fieldsInvalid(invalid);
        KeyValidation.checkUpdateUnits(p, r.rateLimitOverTime() == null ? 0 : r.rateLimitOverTime(), KeyValidation.str(r.rateLimitUnit()),
                r.costLimitInUsdOverTime() == null ? 0 : r.costLimitInUsdOverTime(), KeyValidation.str(r.costLimitInUsdUnit()));
        KeyValidation.checkTokenUpdate(p, r.tokenLimitOverTime(), r.tokenLimitUnit());
    }

    private static boolean anyBlank(List<String> values) {
        return values != null && values.stream().anyMatch(KeyValidation::blank);
    }
}
