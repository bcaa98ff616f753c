package io.bricksllm.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.LiveConfig;
import io.bricksllm.store.Team;
import io.bricksllm.store.TeamRepository;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Teams (issue 19.1): create, read, list, patch, delete. The limits are stored and reach the configuration
 * snapshot, but no admission stage applies them yet.
 */
public final class TeamAdmin implements AdminResource {

    record CreateTeam(String name, List<String> tags, Double costLimitInUsd, Double costLimitInUsdOverTime,
                      String costLimitInUsdUnit, Integer rateLimitOverTime, String rateLimitUnit, Long tokenLimitOverTime,
                      String tokenLimitUnit, Integer maxConcurrentRequests, List<String> allowedModels,
                      List<String> allowedProviders) {}

    record UpdateTeam(String name, List<String> tags, Double costLimitInUsd, Double costLimitInUsdOverTime,
                      String costLimitInUsdUnit, Integer rateLimitOverTime, String rateLimitUnit, Long tokenLimitOverTime,
                      String tokenLimitUnit, Integer maxConcurrentRequests, List<String> allowedModels,
                      List<String> allowedProviders) {}

    private final TeamRepository teams;
    private final LiveConfig live;
    private final Clock clock;

    public TeamAdmin(TeamRepository teams, LiveConfig live, Clock clock) {
        this.teams = teams;
        this.live = live;
        this.clock = clock;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.POST, "/api/teams", this::create);
        routes.add(HttpMethod.GET, "/api/teams", this::list);
        routes.add(HttpMethod.GET, "/api/teams/:id", this::get);
        routes.add(HttpMethod.PATCH, "/api/teams/:id", this::update);
        routes.add(HttpMethod.DELETE, "/api/teams/:id", this::delete);
    }

    AdminReply create(AdminRequest req) {
        CreateTeam r = req.bind(req.json(), CreateTeam.class);
        TeamValidation.checkCreate(r);
        long now = clock.instant().getEpochSecond();
        Team team = new Team(UUID.randomUUID().toString(), r.name(), r.tags(), now, now,
                KeyValidation.num(r.costLimitInUsd()), KeyValidation.num(r.costLimitInUsdOverTime()),
                KeyValidation.str(r.costLimitInUsdUnit()), (int) KeyValidation.num(r.rateLimitOverTime()),
                KeyValidation.str(r.rateLimitUnit()), (long) KeyValidation.num(r.tokenLimitOverTime()),
                KeyValidation.str(r.tokenLimitUnit()), (int) KeyValidation.num(r.maxConcurrentRequests()),
                r.allowedModels(), r.allowedProviders());
        teams.insert(team);
        live.changed();
        return AdminReply.ok(team);
    }

    AdminReply get(AdminRequest req) {
        String id = req.pathParam("id");
        return AdminReply.ok(teams.findById(id).orElseThrow(() -> AdminError.notFound("get team failed", "team not found for id: " + id)));
    }

    /** All teams, newest first; {@code tags} (repeatable) keeps the teams whose tags contain all of them. */
    AdminReply list(AdminRequest req) {
        List<String> tags = req.queryAll("tags");
        return AdminReply.ok(teams.findAll().stream()
                .filter(t -> t.tags().containsAll(tags))
                .sorted(Comparator.comparingLong(Team::createdAt).thenComparing(Team::id).reversed())
                .toList());
    }

    AdminReply update(AdminRequest req) {
        String id = req.pathParam("id");
        JsonNode json = req.json();
        UpdateTeam r = req.bind(json, UpdateTeam.class);
        TeamValidation.checkUpdate(r, f -> AdminRequest.present(json, f));
        Team old = teams.findById(id).orElseThrow(() -> notFound(id));
        long now = clock.instant().getEpochSecond();
        // present fields replace the stored ones; the limit pairs were checked to come together
        Team merged = new Team(old.id(),
                KeyValidation.blank(r.name()) ? old.name() : r.name(),
                r.tags() != null ? r.tags() : old.tags(),
                old.createdAt(), now,
                r.costLimitInUsd() != null ? r.costLimitInUsd() : old.costLimitInUsd(),
                r.costLimitInUsdOverTime() != null ? r.costLimitInUsdOverTime() : old.costLimitInUsdOverTime(),
                r.costLimitInUsdUnit() != null ? r.costLimitInUsdUnit() : old.costLimitInUsdUnit(),
                r.rateLimitOverTime() != null ? r.rateLimitOverTime() : old.rateLimitOverTime(),
                r.rateLimitUnit() != null ? r.rateLimitUnit() : old.rateLimitUnit(),
                r.tokenLimitOverTime() != null ? r.tokenLimitOverTime() : old.tokenLimitOverTime(),
                r.tokenLimitUnit() != null ? r.tokenLimitUnit() : old.tokenLimitUnit(),
                r.maxConcurrentRequests() != null ? r.maxConcurrentRequests() : old.maxConcurrentRequests(),
                r.allowedModels() != null ? r.allowedModels() : old.allowedModels(),
                r.allowedProviders() != null ? r.allowedProviders() : old.allowedProviders());
        if (!teams.update(merged)) throw notFound(id);
        live.changed();
        return AdminReply.ok(merged);
    }

    /**
     * Refused (409) while a key or end user still names the team, rather than detaching them: detaching would
     * silently lift the team's limits (once enforced) from every member; the operator moves or clears the
     * members first, so the change of limits is a deliberate one.
     */
    AdminReply delete(AdminRequest req) {
        String id = req.pathParam("id");
        TeamRepository.Deletion d = teams.deleteUnlessMembers(id);
        if (!d.found()) throw AdminError.notFound("delete team failed", "team not found for id: " + id);
        if (!d.deleted()) {
            throw AdminError.conflict("team " + id + " still has " + d.members().keys() + " key(s) and " + d.members().users()
                    + " user(s); set their teamId to another team or to \"\" first");
        }
        live.changed();
        return AdminReply.emptyOk();
    }

    private static AdminError notFound(String id) {
        return AdminError.notFound("update team failed", "team not found for id: " + id);
    }
}
