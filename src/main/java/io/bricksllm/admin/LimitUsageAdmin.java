package io.bricksllm.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.limits.LevelLimits;
import io.bricksllm.limits.LevelSnapshot;
import io.bricksllm.limits.LimitLedger;
import io.bricksllm.proxy.KeyView;
import io.bricksllm.proxy.stage.AdmissionLevels;
import io.bricksllm.store.EndUser;
import io.bricksllm.store.Json;
import io.bricksllm.store.Team;
import io.bricksllm.store.TeamRepository;
import io.bricksllm.store.UserRepository;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The console's teams and end users pages (issue 21): what each team or user has used against its limits now, read
 * from the counters admission itself uses ({@link LimitLedger#snapshot}, as {@code GET /v1/key} shows a key's team), so
 * in scale-out mode every instance answers with the shared counts and a limit reached here is the one the proxy
 * refuses on. Shown in {@link KeyView}'s usage shape, only for the limits a level has (the ledger keeps no spend for
 * a level without a budget).
 *
 * <ul>
 *   <li>{@code POST /api/reporting/team-usage {"teamIds":[…]}} → {@code [{"teamId", "usage"}]}</li>
 *   <li>{@code POST /api/reporting/user-usage {"userIds":[…]}} (internal ids or user ids, as the user list filter)
 *       → {@code [{"id", "userId", "usage"}]}</li>
 * </ul>
 * Unknown ids are left out. Runs on a worker thread (the admin server's), so it may wait for the ledger.
 */
public final class LimitUsageAdmin implements AdminResource {
    static final int MAX_IDS = 200;
    private static final long WAIT_SECONDS = 5;

    record TeamUsageRequest(List<String> teamIds) {}

    record UserUsageRequest(List<String> userIds) {}

    /** One answer row (its ids so far) and the limits of its level. */
    private record Row(ObjectNode node, LevelLimits limits) {}

    private final TeamRepository teams;
    private final UserRepository users;
    private final LimitLedger ledger;
    private final Clock clock;

    public LimitUsageAdmin(TeamRepository teams, UserRepository users, LimitLedger ledger, Clock clock) {
        this.teams = teams;
        this.users = users;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.POST, "/api/reporting/team-usage", this::teamUsage);
        routes.add(HttpMethod.POST, "/api/reporting/user-usage", this::userUsage);
    }

    AdminReply teamUsage(AdminRequest req) {
        TeamUsageRequest r = req.bind(req.json(), TeamUsageRequest.class);
        List<Row> rows = new ArrayList<>();
        for (String id : ids(r.teamIds(), "teamIds")) {
            Team t = teams.findById(id).orElse(null);
            if (t == null) continue;
            rows.add(new Row(Json.MAPPER.createObjectNode().put("teamId", t.id()), AdmissionLevels.of(t)));
        }
        return AdminReply.ok(answer(rows));
    }

    AdminReply userUsage(AdminRequest req) {
        UserUsageRequest r = req.bind(req.json(), UserUsageRequest.class);
        Map<String, EndUser> found = new LinkedHashMap<>();
        for (String id : ids(r.userIds(), "userIds")) {
            users.findById(id).ifPresent(u -> found.putIfAbsent(u.id(), u));
            for (EndUser u : users.findByUserId(id)) found.putIfAbsent(u.id(), u);
        }
        List<Row> rows = new ArrayList<>();
        for (EndUser u : found.values()) {
            rows.add(new Row(Json.MAPPER.createObjectNode().put("id", u.id()).put("userId", u.userId()), AdmissionLevels.of(u)));
        }
        return AdminReply.ok(answer(rows));
    }

    private static List<String> ids(List<String> asked, String field) {
        List<String> ids = asked == null ? List.of() : asked.stream().filter(s -> s != null && !s.isEmpty()).distinct().toList();
        if (ids.size() > MAX_IDS) throw AdminError.validation("at most " + MAX_IDS + " " + field + " per request, not " + ids.size());
        return ids;
    }

    /** Reads every level's counters at once, then waits for them all (this is a worker thread). */
    private ArrayNode answer(List<Row> rows) {
        Instant now = clock.instant();
        List<Future<LevelSnapshot>> reads = new ArrayList<>();
        for (Row r : rows) reads.add(r.limits().none() ? Future.succeededFuture() : ledger.snapshot(r.limits(), now));
        try {
            Future.join(reads).toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable();
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        int i = 0;
        for (Row row : rows) {
            ObjectNode usage = row.node().putObject("usage");
            LevelSnapshot s = reads.get(i++).result();
            if (s != null) KeyView.usage(usage, row.limits(), s, now);
            out.add(row.node());
        }
        return out;
    }

    private static AdminError unavailable() {
        return new AdminError(503, "/errors/limit-store-unavailable", "limit store unavailable", "the usage counters could not be read; try again shortly");
    }
}
