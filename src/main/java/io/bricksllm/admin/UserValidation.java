package io.bricksllm.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The user rules of BEHAVIOUR.md §3.9 that need no database. They are the key rules (same field checks,
 * same unit pairing, same messages, from {@link KeyValidation}) plus the user's own fields.
 */
final class UserValidation {
    static final int MAX_USER_ID = 255;

    private UserValidation() {}

    static void checkCreate(UserAdmin.CreateUser r) {
        List<String> invalid = new ArrayList<>();
        if (r.userId() != null && r.userId().length() > MAX_USER_ID) invalid.add("userId");
        if (anyBlank(r.tags())) invalid.add("tags");
        if (anyBlank(r.keyIds())) invalid.add("keyIds");
        if (KeyValidation.blank(r.name()) || r.name().length() > KeyValidation.MAX_NAME) invalid.add("name");
        if (KeyValidation.badAmount(r.costLimitInUsd())) invalid.add("costLimitInUsd");
        if (KeyValidation.badAmount(r.costLimitInUsdOverTime())) invalid.add("costLimitInUsdOverTime");
        if (KeyValidation.num(r.rateLimitOverTime()) < 0) invalid.add("rateLimitOverTime");
        KeyValidation.addNegativeTokenOrConcurrency(f -> true, r.tokenLimitOverTime(), r.maxConcurrentRequests(), invalid);
        if (badTtl(r.ttl())) invalid.add("ttl");
        KeyValidation.addFirstBadPath(r.allowedPaths(), invalid);
        if (anyBlank(r.allowedModels())) invalid.add("allowedModels");
        if (!invalid.isEmpty()) throw KeyValidation.fieldsInvalid(invalid);
        KeyValidation.checkCreateUnits(r.rateLimitOverTime(), r.rateLimitUnit(), r.costLimitInUsdOverTime(), r.costLimitInUsdUnit());
        KeyValidation.checkTokenPair(r.tokenLimitOverTime(), r.tokenLimitUnit());
    }

    /** {@code p} says which fields were present in the body. */
    static void checkUpdate(UserAdmin.UpdateUser r, Predicate<String> p) {
        List<String> invalid = new ArrayList<>();
        if (anyBlank(r.tags())) invalid.add("tags");
        if (anyBlank(r.keyIds())) invalid.add("keyIds");
        if (r.name() != null && r.name().length() > KeyValidation.MAX_NAME) invalid.add("name");
        if (KeyValidation.badAmount(r.costLimitInUsd())) invalid.add("costLimitInUsd");
        if (KeyValidation.badAmount(r.costLimitInUsdOverTime())) invalid.add("costLimitInUsdOverTime");
        if (p.test("rateLimitOverTime") && r.rateLimitOverTime() < 0) invalid.add("rateLimitOverTime");
        KeyValidation.addNegativeTokenOrConcurrency(p, r.tokenLimitOverTime(), r.maxConcurrentRequests(), invalid);
        if (badTtl(r.ttl())) invalid.add("ttl");
        KeyValidation.addFirstBadPath(r.allowedPaths(), invalid);
        if (anyBlank(r.allowedModels())) invalid.add("allowedModels");
        if (r.revokedReason() != null && r.revokedReason().length() > KeyValidation.MAX_REASON) invalid.add("revokedReason");
        if (!invalid.isEmpty()) throw KeyValidation.fieldsInvalid(invalid);
        KeyValidation.checkUpdateUnits(p, r.rateLimitOverTime(), r.rateLimitUnit(), r.costLimitInUsdOverTime(), r.costLimitInUsdUnit());
        KeyValidation.checkTokenUpdate(p, r.tokenLimitOverTime(), r.tokenLimitUnit());
    }

    private static boolean badTtl(String ttl) {
        return !KeyValidation.blank(ttl) && (ttl.length() > KeyValidation.MAX_TTL || !KeyValidation.validTtl(ttl));
    }

    private static boolean anyBlank(List<String> values) {
        return values != null && values.stream().anyMatch(KeyValidation::blank);
    }
}
