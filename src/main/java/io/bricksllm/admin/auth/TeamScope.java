package io.bricksllm.admin.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.auth.RouteRule.Admission;
import io.bricksllm.admin.auth.RouteRule.TeamGate;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.EndUser;
import io.bricksllm.store.Json;
import io.bricksllm.store.KeyRepository;
import io.bricksllm.store.Team;
import io.bricksllm.store.TeamRepository;
import io.bricksllm.store.UserRepository;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The team gates of {@link AdminRouteTable}: what a {@code team-admin:<id>} may do with keys, end users, events and
 * reports. A single resource is checked against the stored row (its team must be one of the caller's); a listing is
 * narrowed by rewriting its filter (keyIds, userIds, teamIds) so that paging and counts stay right. Runs on a worker
 * thread (it reads the database).
 */
public final class TeamScope {
    private final KeyRepository keys;
    private final UserRepository users;
    private final TeamRepository teams;

    public TeamScope(KeyRepository keys, UserRepository users, TeamRepository teams) {
        this.keys = keys;
        this.users = users;
        this.teams = teams;
    }

    static AdminError forbidden(String detail) {
        return new AdminError(403, "/errors/forbidden", "forbidden", detail);
    }

    // ---- keys

    /** Creating a key: its teamId must be one of the caller's. */
    public TeamGate keyCreate() {
        return (req, mine) -> {
            bodyTeamMustBeMine(req, mine, true);
            return new Admission.Run(req);
        };
    }

    /** One key by path id: the stored key's team must be the caller's, and a teamId in the body too. */
    public TeamGate keyById() {
        return (req, mine) -> {
            String id = req.pathParam("id");
            String team = keys.findById(id).map(ApiKey::teamId).orElse(null);
            if (team == null || !mine.contains(team)) throw forbidden("key " + id + " is not in one of your teams");
            bodyTeamMustBeMine(req, mine, false);
            return new Admission.Run(req);
        };
    }

    /** Reporting on one key. */
    public TeamGate keyReport() {
        return (req, mine) -> {
            String id = req.pathParam("id");
            String team = keys.findById(id).map(ApiKey::teamId).orElse(null);
            if (team == null || !mine.contains(team)) throw forbidden("key " + id + " is not in one of your teams");
            return new Admission.Run(req);
        };
    }

    /** GET keys: the keyIds filter becomes the requested ones that are the caller's (all of them when none asked). */
    public TeamGate keyListQuery() {
        return (req, mine) -> {
            List<String> allowed = narrow(req.queryAll("keyIds"), teamKeyIds(mine));
            if (allowed.isEmpty()) return new Admission.Answer(AdminReply.ok(List.of()));
            return new Admission.Run(withQuery(req, "keyIds", allowed));
        };
    }

    /** A POST listing or report with a keyIds body filter (v2 keys, top keys). */
    public TeamGate keyListBody(Object emptyAnswer) {
        return (req, mine) -> {
            ObjectNode body = (ObjectNode) req.json();
            List<String> allowed = narrow(strings(body.get("keyIds")), teamKeyIds(mine));
            if (allowed.isEmpty()) return new Admission.Answer(AdminReply.ok(emptyAnswer));
            body.set("keyIds", array(allowed));
            return new Admission.Run(withBody(req, body));
        };
    }

    // ---- end users

    public TeamGate userCreate() {
        return keyCreate();
    }

    public TeamGate userById() {
        return (req, mine) -> {
            String id = req.pathParam("id");
            String team = users.findById(id).map(EndUser::teamId).orElse(null);
            if (team == null || !mine.contains(team)) throw forbidden("user " + id + " is not in one of your teams");
            bodyTeamMustBeMine(req, mine, false);
            return new Admission.Run(req);
        };
    }

    /** PATCH /api/users?userId=: every user with that user id must be in the caller's teams. */
    public TeamGate userByUserId() {
        return (req, mine) -> {
            String userId = req.queryFirst("userId");
            List<EndUser> found = userId == null ? List.of() : users.findByUserId(userId);
            if (found.isEmpty() || found.stream().anyMatch(u -> !mine.contains(u.teamId()))) {
                throw forbidden("user " + userId + " is not in one of your teams");
            }
            bodyTeamMustBeMine(req, mine, false);
            return new Admission.Run(req);
        };
    }

    /** GET users: the userIds filter becomes the ids of the caller's users that were asked for (or all of them). */
    public TeamGate userList() {
        return (req, mine) -> {
            List<EndUser> theirs = users.findAll().stream().filter(u -> mine.contains(u.teamId())).toList();
            List<String> asked = req.queryAll("userIds");
            List<String> allowed = new ArrayList<>();
            for (EndUser u : theirs) {
                if (asked.isEmpty() || asked.contains(u.id()) || asked.contains(u.userId())) allowed.add(u.id());
            }
            if (allowed.isEmpty()) return new Admission.Answer(AdminReply.ok(List.of()));
            return new Admission.Run(withQuery(req, "userIds", allowed));
        };
    }

    /** The console's user usage: userIds (internal ids or user ids) narrowed to the internal ids of the caller's users. */
    public TeamGate userUsageBody() {
        return (req, mine) -> {
            ObjectNode body = (ObjectNode) req.json();
            List<String> asked = strings(body.get("userIds"));
            List<String> allowed = new ArrayList<>();
            for (EndUser u : users.findAll()) {
                if (mine.contains(u.teamId()) && (asked.contains(u.id()) || asked.contains(u.userId()))) allowed.add(u.id());
            }
            if (allowed.isEmpty()) return new Admission.Answer(AdminReply.ok(List.of()));
            body.set("userIds", array(allowed));
            return new Admission.Run(withBody(req, body));
        };
    }

    // ---- teams, events, reports

    /** The console's team usage: teamIds narrowed to the caller's teams (others left out, as unknown ids are). */
    public TeamGate teamUsageBody() {
        return (req, mine) -> {
            ObjectNode body = (ObjectNode) req.json();
            List<String> allowed = strings(body.get("teamIds")).stream().filter(mine::contains).toList();
            if (allowed.isEmpty()) return new Admission.Answer(AdminReply.ok(List.of()));
            body.set("teamIds", array(allowed));
            return new Admission.Run(withBody(req, body));
        };
    }

    /** A path id that is a team id. */
    public TeamGate teamPath() {
        return (req, mine) -> {
            if (!mine.contains(req.pathParam("id"))) throw forbidden("team " + req.pathParam("id") + " is not one of your teams");
            return new Admission.Run(req);
        };
    }

    /** GET /api/teams: the caller's teams only. */
    public TeamGate teamList() {
        return (req, mine) -> {
            List<Team> out = teams.findAll().stream().filter(t -> mine.contains(t.id())).toList();
            return new Admission.Answer(AdminReply.ok(out));
        };
    }

    /** A teamIds query filter (events, export): the asked teams must be the caller's; none asked = all of theirs. */
    public TeamGate teamIdsQuery() {
        return (req, mine) -> new Admission.Run(withQuery(req, "teamIds", ownTeams(req.queryAll("teamIds"), mine)));
    }

    /** A teamIds body filter (v2 events, reports). */
    public TeamGate teamIdsBody() {
        return (req, mine) -> {
            ObjectNode body = (ObjectNode) req.json();
            body.set("teamIds", array(ownTeams(strings(body.get("teamIds")), mine)));
            return new Admission.Run(withBody(req, body));
        };
    }

    // ---- helpers

    private static List<String> ownTeams(List<String> asked, Set<String> mine) {
        for (String t : asked) if (!mine.contains(t)) throw forbidden("team " + t + " is not one of your teams");
        return asked.isEmpty() ? List.copyOf(mine) : asked;
    }

    private static void bodyTeamMustBeMine(AdminRequest req, Set<String> mine, boolean required) {
        JsonNode t = req.json().get("teamId");
        if (t == null || t.isNull()) {
            if (required) throw forbidden("a team-admin must set teamId to one of its teams: " + String.join(", ", mine));
            return;
        }
        if (!t.isTextual() || !mine.contains(t.asText())) {
            throw forbidden("teamId must be one of your teams: " + String.join(", ", mine));
        }
    }

    private Set<String> teamKeyIds(Set<String> mine) {
        Set<String> out = new LinkedHashSet<>();
        for (ApiKey k : keys.findAll()) if (mine.contains(k.teamId())) out.add(k.keyId());
        return out;
    }

    private static List<String> narrow(List<String> asked, Set<String> allowed) {
        if (asked.isEmpty()) return List.copyOf(allowed);
        return asked.stream().filter(allowed::contains).toList();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    private static AdminRequest withQuery(AdminRequest req, String name, List<String> values) {
        Map<String, List<String>> query = new HashMap<>(req.query());
        query.put(name, List.of(String.join(",", values)));
        return new AdminRequest(req.pathParams(), query, req.body(), req.headers());
    }

    private static AdminRequest withBody(AdminRequest req, JsonNode body) {
        return new AdminRequest(req.pathParams(), req.query(), Buffer.buffer(Json.write(body)), req.headers());
    }
}
