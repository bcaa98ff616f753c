package io.bricksllm.admin;

import io.bricksllm.config.GoDuration;
import io.bricksllm.store.PathConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The key rules of BEHAVIOUR.md §3.4 that need no database, in the original's order and wording. */
final class KeyValidation {
    static final Set<String> RATE_UNITS = Set.of("h", "m", "s", "d");
    static final Set<String> COST_UNITS = Set.of("d", "h", "mo", "m");
    // Column widths of V1__init.sql. PostgreSQL refuses longer values and SQLite silently keeps them; checking
    // here gives both the same 400 instead of a storage error on one of them.
    static final int MAX_NAME = 255;
    static final int MAX_REASON = 255;
    static final int MAX_RAW_SECRET = 512;
    static final int MAX_TTL = 64;

    private KeyValidation() {}

    static void checkCreate(KeyAdmin.CreateKey r) {
        boolean hasSettingId = r.settingId() != null && !r.settingId().isEmpty();
        boolean hasSettingIds = r.settingIds() != null && !r.settingIds().isEmpty();
        if (!hasSettingId && !hasSettingIds) {
            throw AdminError.validation("settingId is not set in either setting_id or setting_ids field");
        }
        if (hasSettingId && hasSettingIds) throw AdminError.validation("either settingId or settingIds");

        List<String> invalid = new ArrayList<>();
        if (r.tags() != null && r.tags().stream().anyMatch(KeyValidation::blank)) invalid.add("tags");
        if (blank(r.key()) || (Boolean.TRUE.equals(r.isKeyNotHashed()) && r.key().length() > MAX_RAW_SECRET)) invalid.add("key");
        if (blank(r.name()) || r.name().length() > MAX_NAME) invalid.add("name");
        if (r.settingIds() != null) {
            for (int i = 0; i < r.settingIds().size(); i++) if (blank(r.settingIds().get(i))) invalid.add("settingIds[" + i + "]");
        }
        if (badAmount(r.costLimitInUsd())) invalid.add("costLimitInUsd");
        if (badAmount(r.costLimitInUsdOverTime())) invalid.add("costLimitInUsdOverTime");
        if (num(r.rateLimitOverTime()) < 0) invalid.add("rateLimitOverTime");
        addNegativeTokenOrConcurrency(f -> true, r.tokenLimitOverTime(), r.maxConcurrentRequests(), invalid);
        if (!blank(r.ttl()) && (r.ttl().length() > MAX_TTL || !validTtl(r.ttl()))) invalid.add("ttl");
        addFirstBadPath(r.allowedPaths(), invalid);
        if (!invalid.isEmpty()) throw fieldsInvalid(invalid);

        checkCreateUnits(r.rateLimitOverTime(), r.rateLimitUnit(), r.costLimitInUsdOverTime(), r.costLimitInUsdUnit());
        checkTokenPair(r.tokenLimitOverTime(), r.tokenLimitUnit());
    }

    /** §3.4.2 steps 4–7: the pairing of limits and units on creation (keys and users alike). */
    static void checkCreateUnits(Integer rateLimitOverTime, String rateLimitUnit, Double costLimitInUsdOverTime,
                                 String costLimitInUsdUnit) {
        String rateUnit = str(rateLimitUnit);
        String costUnit = str(costLimitInUsdUnit);
        if (!rateUnit.isEmpty() && num(rateLimitOverTime) == 0) {
            throw AdminError.validation("rate limit over time can not be empty if rate limit unit is specified");
        }
        if (!costUnit.isEmpty() && num(costLimitInUsdOverTime) == 0) {
            throw AdminError.validation("cost limit over time can not be empty if cost limit unit is specified");
        }
        if (num(rateLimitOverTime) != 0) {
            if (rateUnit.isEmpty()) throw AdminError.validation("rate limit unit can not be empty if rate limit over time is specified");
            if (!RATE_UNITS.contains(rateUnit)) throw AdminError.validation("rate limit unit can not be identified");
        }
        if (num(costLimitInUsdOverTime) != 0) {
            if (costUnit.isEmpty()) throw AdminError.validation("cost limit unit can not be empty if cost limit over time is specified");
            if (!COST_UNITS.contains(costUnit)) throw AdminError.validation("cost limit unit can not be identified");
        }
    }

    /** §3.4.3: the patch rules; {@code p} says which fields were present in the body. */
    static void checkUpdate(KeyAdmin.UpdateKey r, java.util.function.Predicate<String> p) {
        if (!blank(r.settingId()) && r.settingIds() != null && !r.settingIds().isEmpty()) {
            throw AdminError.validation("either settingId or settingIds");
        }
        List<String> invalid = new ArrayList<>();
        if (r.tags() != null && r.tags().stream().anyMatch(KeyValidation::blank)) invalid.add("tags");
        if (badAmount(r.costLimitInUsd())) invalid.add("costLimitInUsd");
        if (badAmount(r.costLimitInUsdOverTime())) invalid.add("costLimitInUsdOverTime");
        if (p.test("rateLimitOverTime") && num(r.rateLimitOverTime()) < 0) invalid.add("rateLimitOverTime");
        addNegativeTokenOrConcurrency(p, r.tokenLimitOverTime(), r.maxConcurrentRequests(), invalid);
        if (r.settingIds() != null) {
            for (int i = 0; i < r.settingIds().size(); i++) if (blank(r.settingIds().get(i))) invalid.add("settingIds[" + i + "]");
        }
        addFirstBadPath(r.allowedPaths(), invalid);
        if (p.test("policyId") && r.policyId().isEmpty()) invalid.add("policyId");
        if (r.name() != null && r.name().length() > MAX_NAME) invalid.add("name");
        if (r.revokedReason() != null && r.revokedReason().length() > MAX_REASON) invalid.add("revokedReason");
        if (!invalid.isEmpty()) throw fieldsInvalid(invalid);

        checkUpdateUnits(p, r.rateLimitOverTime(), r.rateLimitUnit(), r.costLimitInUsdOverTime(), r.costLimitInUsdUnit());
        checkTokenUpdate(p, r.tokenLimitOverTime(), r.tokenLimitUnit());
    }

    /** §3.4.3 steps 3–6: limits and units of a patch always come in pairs (keys and users alike). */
    static void checkUpdateUnits(java.util.function.Predicate<String> p, Integer rateLimitOverTime, String rateLimitUnit,
                                 Double costLimitInUsdOverTime, String costLimitInUsdUnit) {
        if (p.test("rateLimitUnit")) {
            if (!p.test("rateLimitOverTime")) throw AdminError.validation("rate limit over time can not be empty if rate limit unit is specified");
            if (rateLimitUnit.isEmpty() && rateLimitOverTime != 0) throw AdminError.validation("rate limit over time must be 0 if rate limit unit is empty");
        }
        if (p.test("costLimitInUsdUnit")) {
            if (!p.test("costLimitInUsdOverTime")) throw AdminError.validation("cost limit over time can not be empty if cost limit unit is specified");
            if (costLimitInUsdUnit.isEmpty() && costLimitInUsdOverTime != 0) throw AdminError.validation("cost limit over time must be 0 if cost limit unit is empty");
        }
        if (p.test("rateLimitOverTime")) {
            if (!p.test("rateLimitUnit")) throw AdminError.validation("rate limit unit can not be empty if rate limit over time is specified");
            if (rateLimitOverTime == 0 && !rateLimitUnit.isEmpty()) throw AdminError.validation("rate limit unit has to be empty if rate limit over time is 0");
            if (rateLimitOverTime != 0 && rateLimitUnit.isEmpty()) throw AdminError.validation("rate limit unit can not be empty if rate limit over time is specified");
            if (rateLimitOverTime != 0 && !RATE_UNITS.contains(rateLimitUnit)) throw AdminError.validation("rate limit unit can not be identified");
        }
        if (p.test("costLimitInUsdOverTime")) {
            if (!p.test("costLimitInUsdUnit")) throw AdminError.validation("cost limit unit can not be empty if cost limit over time is specified");
            if (costLimitInUsdOverTime == 0 && !costLimitInUsdUnit.isEmpty()) throw AdminError.validation("cost limit unit has to be empty if cost limit over time is 0");
            if (costLimitInUsdOverTime != 0 && costLimitInUsdUnit.isEmpty()) throw AdminError.validation("cost limit unit can not be empty if cost limit over time is specified");
            if (costLimitInUsdOverTime != 0 && !COST_UNITS.contains(costLimitInUsdUnit)) throw AdminError.validation("cost limit unit can not be identified");
        }
    }

    /**
     * Issue 19.2: the token limit and concurrency cap of a team, key or user may not be negative; on a patch only
     * the present ones are checked ({@code p}), on creation pass {@code f -> true}.
     */
    static void addNegativeTokenOrConcurrency(java.util.function.Predicate<String> p, Long tokenLimitOverTime,
                                              Integer maxConcurrentRequests, List<String> invalid) {
        if (p.test("tokenLimitOverTime") && num(tokenLimitOverTime) < 0) invalid.add("tokenLimitOverTime");
        if (p.test("maxConcurrentRequests") && num(maxConcurrentRequests) < 0) invalid.add("maxConcurrentRequests");
    }

    /** A token limit's amount and unit together on creation, units as a rate limit's (s, m, h, d). */
    static void checkTokenPair(Long amount, String unit) {
        String u = str(unit);
        long n = (long) num(amount);
        if (!u.isEmpty() && n == 0) throw AdminError.validation("token limit over time can not be empty if token limit unit is specified");
        if (n != 0 && u.isEmpty()) throw AdminError.validation("token limit unit can not be empty if token limit over time is specified");
        if (n != 0 && !RATE_UNITS.contains(u)) throw AdminError.validation("token limit unit can not be identified");
    }

    /** On a patch the token limit's amount and unit come together (0 and "" remove it), then as on creation. */
    static void checkTokenUpdate(java.util.function.Predicate<String> p, Long amount, String unit) {
        if (!p.test("tokenLimitOverTime") && !p.test("tokenLimitUnit")) return;
        if (!p.test("tokenLimitOverTime") || !p.test("tokenLimitUnit")) {
            throw AdminError.validation("token limit over time and token limit unit must be given together");
        }
        checkTokenPair(amount, unit);
    }

    static void addFirstBadPath(List<PathConfig> paths, List<String> invalid) {
        if (paths == null) return;
        for (int i = 0; i < paths.size(); i++) {
            PathConfig pc = paths.get(i);
            if (pc == null || blank(pc.path())) {
                invalid.add("allowedPaths." + i + ".path");
                return;
            }
            if (blank(pc.method())) {
                invalid.add("allowedPaths." + i + ".method");
                return;
            }
        }
    }

    static boolean validTtl(String ttl) {
        try {
            return !GoDuration.parse(ttl).isNegative();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static AdminError fieldsInvalid(List<String> fields) {
        return AdminError.validation("fields [" + String.join(", ", fields) + "] are invalid");
    }

    /** Negative, or beyond a double (JSON 1e400 parses as Infinity, which would be answered as the string "Infinity"). */
    static boolean badAmount(Double d) {
        return d != null && (d < 0 || d.isInfinite() || d.isNaN());
    }

    static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    static String str(String s) {
        return s == null ? "" : s;
    }

    static double num(Number n) {
        return n == null ? 0 : n.doubleValue();
    }
}
