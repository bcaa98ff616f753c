package io.bricksllm.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.EndUser;
import io.bricksllm.store.KeyRepository;
import io.bricksllm.store.LiveConfig;
import io.bricksllm.store.PathConfig;
import io.bricksllm.store.TeamRepository;
import io.bricksllm.store.UserRepository;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.BiPredicate;

/** End users: create, update (by id or by user id and tags), list (BEHAVIOUR.md §3.9). */
public final class UserAdmin implements AdminResource {

    record CreateUser(String userId, String name, List<String> tags, List<String> keyIds, Double costLimitInUsd,
                      Double costLimitInUsdOverTime, String costLimitInUsdUnit, Integer rateLimitOverTime,
                      String rateLimitUnit, String ttl, List<PathConfig> allowedPaths, List<String> allowedModels,
                      String teamId, Long tokenLimitOverTime, String tokenLimitUnit, Integer maxConcurrentRequests) {}

    record UpdateUser(String name, List<String> tags, List<String> keyIds, Boolean revoked, String revokedReason,
                      Double costLimitInUsd, Double costLimitInUsdOverTime, String costLimitInUsdUnit,
                      Integer rateLimitOverTime, String rateLimitUnit, List<PathConfig> allowedPaths,
                      List<String> allowedModels, String ttl, String teamId, Long tokenLimitOverTime,
                      String tokenLimitUnit, Integer maxConcurrentRequests) {}

    /**
     * Two users with one user id must stay in different tag scopes: a new (or re-tagged) user clashes with an
     * existing one whose tags contain all of its tags (§3.9).
     */
    static final BiPredicate<EndUser, EndUser> SAME_SCOPE = (existing, candidate) -> existing.tags().containsAll(candidate.tags());

    private final UserRepository users;
    private final KeyRepository keys;
    private final TeamRepository teams;
    private final LiveConfig live;
    private final Clock clock;

    public UserAdmin(UserRepository users, KeyRepository keys, LiveConfig live, Clock clock) {
        this(users, keys, null, live, clock);
    }

    /** {@code teams} null: no team can be named ({@code teamId} other than "" is refused). */
    public UserAdmin(UserRepository users, KeyRepository keys, TeamRepository teams, LiveConfig live, Clock clock) {
        this.teams = teams;
        this.users = users;
        this.keys = keys;
        this.live = live;
        this.clock = clock;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.POST, "/api/users", this::create);
        routes.add(HttpMethod.GET, "/api/users", this::list);
        routes.add(HttpMethod.PATCH, "/api/users", this::updateByUserId);
        routes.add(HttpMethod.PATCH, "/api/users/:id", this::updateById);
    }

    AdminReply create(AdminRequest req) {
        CreateUser r = req.bind(req.json(), CreateUser.class);
        UserValidation.checkCreate(r);
        List<String> keyIds = r.keyIds() == null ? List.of() : r.keyIds();
        checkKeysExist(keyIds);
        checkTeamExists(KeyValidation.str(r.teamId()));
        long now = clock.instant().getEpochSecond();
        String userId = KeyValidation.blank(r.userId()) ? UUID.randomUUID().toString() : r.userId();
        EndUser user = new EndUser(UUID.randomUUID().toString(), userId, r.name(), now, now, r.tags(), keyIds, false, "",
                KeyValidation.num(r.costLimitInUsd()), KeyValidation.num(r.costLimitInUsdOverTime()),
                KeyValidation.str(r.costLimitInUsdUnit()), (int) KeyValidation.num(r.rateLimitOverTime()),
                KeyValidation.str(r.rateLimitUnit()), KeyValidation.str(r.ttl()), r.allowedPaths(), r.allowedModels(),
                KeyValidation.str(r.teamId()), (long) KeyValidation.num(r.tokenLimitOverTime()),
                KeyValidation.str(r.tokenLimitUnit()), (int) KeyValidation.num(r.maxConcurrentRequests()));
        UserRepository.Written w = users.insertUnlessClash(user, SAME_SCOPE);
        if (!w.ok()) throw clash(user);
        live.changed();
        return AdminReply.ok(user);
    }

    AdminReply updateById(AdminRequest req) {
        String id = req.pathParam("id");
        JsonNode json = req.json();
        UpdateUser r = req.bind(json, UpdateUser.class);
        UserValidation.checkUpdate(r, f -> AdminRequest.present(json, f));
        if (users.findById(id).isEmpty()) throw notFound("user not found for id: " + id);
        return update(id, r, json);
    }

    /** {@code PATCH /api/users?userId=<uid>&tags=<t>…}: the one user with that user id whose tags contain all given tags. */
    AdminReply updateByUserId(AdminRequest req) {
        String userId = req.queryFirst("userId");
        if (userId == null || userId.isEmpty()) {
            throw new AdminError(400, "/errors/missing-user-id", "missing user id", "user id is empty");
        }
        List<String> tags = req.queryAll("tags");
        JsonNode json = req.json();
        UpdateUser r = req.bind(json, UpdateUser.class);
        UserValidation.checkUpdate(r, f -> AdminRequest.present(json, f));
        List<EndUser> matching = users.findByUserId(userId).stream().filter(u -> u.tags().containsAll(tags)).toList();
        if (matching.isEmpty()) throw notFound("user not found for user id: " + userId + " and tags: " + bracketed(tags));
        if (matching.size() > 1) {
            throw AdminError.conflict("several users have user id " + userId + " with tags containing " + bracketed(tags)
                    + "; give more tags or update by id");
        }
        return update(matching.get(0).id(), r, json);
    }

    private AdminReply update(String id, UpdateUser r, JsonNode json) {
        if (r.keyIds() != null && !r.keyIds().isEmpty()) checkKeysExist(r.keyIds());
        if (r.teamId() != null) checkTeamExists(r.teamId());
        boolean keyIdsGiven = AdminRequest.present(json, "keyIds");
        boolean pathsGiven = AdminRequest.present(json, "allowedPaths");
        boolean modelsGiven = AdminRequest.present(json, "allowedModels");
        long now = clock.instant().getEpochSecond();
        UserRepository.Written w = users.update(id, old -> merge(old, r, keyIdsGiven, pathsGiven, modelsGiven, now), SAME_SCOPE)
                .orElseThrow(() -> notFound("user not found for id: " + id));
        if (!w.ok()) throw clash(w.user());
        live.changed();
        return AdminReply.ok(w.user());
    }

    /** Present (or non-empty) fields replace the stored ones, as for keys (§3.4.3 step 10). */
    private static EndUser merge(EndUser old, UpdateUser r, boolean keyIdsGiven, boolean pathsGiven, boolean modelsGiven, long now) {
        boolean revoked = r.revoked() != null ? r.revoked() : old.revoked();
        String reason = old.revokedReason();
        if (r.revoked() != null) reason = r.revoked() ? KeyValidation.str(r.revokedReason()) : "";
        return new EndUser(old.id(), old.userId(),
                KeyValidation.blank(r.name()) ? old.name() : r.name(),
                old.createdAt(), now,
                r.tags() != null && !r.tags().isEmpty() ? r.tags() : old.tags(),
                keyIdsGiven ? r.keyIds() : old.keyIds(),
                revoked, reason,
                r.costLimitInUsd() != null ? r.costLimitInUsd() : old.costLimitInUsd(),
                r.costLimitInUsdOverTime() != null ? r.costLimitInUsdOverTime() : old.costLimitInUsdOverTime(),
                r.costLimitInUsdUnit() != null ? r.costLimitInUsdUnit() : old.costLimitInUsdUnit(),
                r.rateLimitOverTime() != null ? r.rateLimitOverTime() : old.rateLimitOverTime(),
                r.rateLimitUnit() != null ? r.rateLimitUnit() : old.rateLimitUnit(),
                r.ttl() != null ? r.ttl() : old.ttl(),
                pathsGiven ? r.allowedPaths() : old.allowedPaths(),
                modelsGiven ? r.allowedModels() : old.allowedModels(),
                r.teamId() != null ? r.teamId() : old.teamId(),
                // the token pair was checked to come together
                r.tokenLimitOverTime() != null ? r.tokenLimitOverTime() : old.tokenLimitOverTime(),
                r.tokenLimitUnit() != null ? r.tokenLimitUnit() : old.tokenLimitUnit(),
                r.maxConcurrentRequests() != null ? r.maxConcurrentRequests() : old.maxConcurrentRequests());
    }

    AdminReply list(AdminRequest req) {
        int offset = intParam(req, "offset");
        int limit = intParam(req, "limit");
        List<String> tags = req.queryAll("tags");
        List<String> keyIds = req.queryAll("keyIds");
        List<String> userIds = req.queryAll("userIds");
        // all=true (issue 21, the console's user list): every user, paged; without it a filter is required as before
        boolean all = "true".equals(req.queryFirst("all"));
        if (!all && tags.isEmpty() && keyIds.isEmpty() && userIds.isEmpty()) {
            throw AdminError.missingFilters("filters are missing from the request url. it is required for retrieving users.");
        }
        List<EndUser> matching = new ArrayList<>();
        for (EndUser u : users.findAll()) {
            if (!u.tags().containsAll(tags)) continue;
            if (!keyIds.isEmpty() && u.keyIds().stream().noneMatch(keyIds::contains)) continue;
            if (!userIds.isEmpty() && !userIds.contains(u.userId()) && !userIds.contains(u.id())) continue;
            matching.add(u);
        }
        matching.sort(Comparator.comparingLong(EndUser::createdAt).thenComparing(EndUser::id).reversed());
        List<EndUser> page = matching;
        if (limit != 0) {
            int from = Math.min(offset, matching.size());
            int to = (int) Math.min((long) from + limit, matching.size());
            page = matching.subList(from, to);
        }
        return AdminReply.ok(List.copyOf(page));
    }

    private static int intParam(AdminRequest req, String name) {
        String v = req.queryFirst(name);
        if (v == null) return 0;
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new AdminError(400, "/errors/bad-filters", "bad " + name + " query param",
                    name + " query param cannot be converted to integer");
        }
        if (n < 0) {
            throw new AdminError(400, "/errors/bad-filters", "bad " + name + " query param", name + " query param cannot be negative");
        }
        return n;
    }

    private void checkTeamExists(String teamId) {
        if (!teamId.isEmpty() && (teams == null || teams.findById(teamId).isEmpty())) {
            throw AdminError.validation("team is not found for teamId: " + teamId);
        }
    }

    private void checkKeysExist(List<String> keyIds) {
        List<String> missing = keyIds.stream().distinct().filter(id -> keys.findById(id).isEmpty()).toList();
        if (!missing.isEmpty()) throw AdminError.validation("keys are not found: " + String.join(", ", missing));
    }

    private static AdminError clash(EndUser user) {
        return AdminError.conflict("user id exists for tags: " + bracketed(user.tags()));
    }

    private static AdminError notFound(String detail) {
        return AdminError.notFound("update user failed", detail);
    }

    private static String bracketed(List<String> values) {
        return "[" + String.join(", ", values) + "]";
    }
}
