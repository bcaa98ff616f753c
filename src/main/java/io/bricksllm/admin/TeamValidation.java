package io.bricksllm.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The team rules (issue 19.1): a key's field checks and unit pairing (from {@link KeyValidation}, same
 * messages), plus the token limit (paired with its unit like the rate limit, same units) and the
 * concurrency cap.
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
        if (KeyValidation.num(r.tokenLimitOverTime()) < 0) invalid.add("tokenLimitOverTime");
        if (KeyValidation.num(r.maxConcurrentRequests()) < 0) invalid.add("maxConcurrentRequests");
        if (anyBlank(r.allowedModels())) invalid.add("allowedModels");
        if (anyBlank(r.allowedProviders())) invalid.add("allowedProviders");
        if (!invalid.isEmpty()) throw KeyValidation.fieldsInvalid(invalid);
        KeyValidation.checkCreateUnits(r.rateLimitOverTime(), r.rateLimitUnit(), r.costLimitInUsdOverTime(), r.costLimitInUsdUnit());
        checkTokenPair(r.tokenLimitOverTime(), r.tokenLimitUnit());
    }

    /** {@code p} says which fields were present in the body. */
    static void checkUpdate(TeamAdmin.UpdateTeam r, Predicate<String> p) {
        List<String> invalid = new ArrayList<>();
        if (r.name() != null && r.name().length() > KeyValidation.MAX_NAME) invalid.add("name");
        if (anyBlank(r.tags())) invalid.add("tags");
        if (KeyValidation.badAmount(r.costLimitInUsd())) invalid.add("costLimitInUsd");
        if (KeyValidation.badAmount(r.costLimitInUsdOverTime())) invalid.add("costLimitInUsdOverTime");
        if (p.test("rateLimitOverTime") && KeyValidation.num(r.rateLimitOverTime()) < 0) invalid.add("rateLimitOverTime");
        if (p.test("tokenLimitOverTime") && KeyValidation.num(r.tokenLimitOverTime()) < 0) invalid.add("tokenLimitOverTime");
        if (p.test("maxConcurrentRequests") && KeyValidation.num(r.maxConcurrentRequests()) < 0) invalid.add("maxConcurrentRequests");
        if (anyBlank(r.allowedModels())) invalid.add("allowedModels");
        if (anyBlank(r.allowedProviders())) invalid.add("allowedProviders");
        if (!invalid.isEmpty()) throw KeyValidation.fieldsInvalid(invalid);
        KeyValidation.checkUpdateUnits(p, r.rateLimitOverTime() == null ? 0 : r.rateLimitOverTime(), KeyValidation.str(r.rateLimitUnit()),
                r.costLimitInUsdOverTime() == null ? 0 : r.costLimitInUsdOverTime(), KeyValidation.str(r.costLimitInUsdUnit()));
        if (p.test("tokenLimitOverTime") || p.test("tokenLimitUnit")) {
            if (!p.test("tokenLimitOverTime") || !p.test("tokenLimitUnit")) {
                throw AdminError.validation("token limit over time and token limit unit must be given together");
            }
            checkTokenPair(r.tokenLimitOverTime(), r.tokenLimitUnit());
        }
    }

    /** Amount and unit together, units as a rate limit's (s, m, h, d). */
    private static void checkTokenPair(Long amount, String unit) {
        String u = KeyValidation.str(unit);
        long n = (long) KeyValidation.num(amount);
        if (!u.isEmpty() && n == 0) throw AdminError.validation("token limit over time can not be empty if token limit unit is specified");
        if (n != 0 && u.isEmpty()) throw AdminError.validation("token limit unit can not be empty if token limit over time is specified");
        if (n != 0 && !KeyValidation.RATE_UNITS.contains(u)) throw AdminError.validation("token limit unit can not be identified");
    }

    private static boolean anyBlank(List<String> values) {
        return values != null && values.stream().anyMatch(KeyValidation::blank);
    }
}
