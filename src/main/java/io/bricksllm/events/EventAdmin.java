package io.bricksllm.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reading events: {@code GET /api/events} and {@code POST /api/v2/events} (BEHAVIOUR.md §3.10). */
public final class EventAdmin implements AdminResource {
    private static final Set<String> ACTIONS = Set.of("warned", "allowed", "blocked", "redacted");

    record EventsV2(List<String> userIds, List<String> customIds, List<String> keyIds, List<String> tags,
                    List<String> policyIds, List<String> actions, Long start, Long end, Integer limit, Integer offset,
                    String costOrder, String dateOrder, Boolean returnCount, Integer status, List<String> teamIds) {}

    record EventPage(ArrayNode events, long count) {}

    private final EventRepository events;

    public EventAdmin(EventRepository events) {
        this.events = events;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.GET, "/api/events", this::listV1);
        routes.add(HttpMethod.POST, "/api/v2/events", this::listV2);
    }

    AdminReply listV1(AdminRequest req) {
        String customId = req.queryFirst("customId");
        String userId = req.queryFirst("userId");
        List<String> keyIds = req.queryAll("keyIds");
        List<String> teamIds = req.queryAll("teamIds");
        boolean hasCustomId = customId != null && !customId.isEmpty();
        boolean hasUserId = userId != null && !userId.isEmpty();
        if (!hasCustomId && !hasUserId && keyIds.isEmpty() && teamIds.isEmpty()) {
            throw new AdminError(400, "/errors/no-filters-empty", "none of customId, keyIds and userId is specified",
                    "customId, userId and keyIds are empty. one of them is required for retrieving events.");
        }
        EventFilter filter = EventFilter.all();
        if (hasCustomId) filter = filter.withCustomIds(List.of(customId));
        if (hasUserId) filter = filter.withUserIds(List.of(userId));
        // teamIds (issue 19.8) counts as a filter of its own; like keyIds it then needs the start/end bounds
        if (!teamIds.isEmpty()) filter = filter.withTeamIds(teamIds).withRange(bound(req, "start"), bound(req, "end"), true);
        if (!keyIds.isEmpty()) {
            long start = bound(req, "start");
            long end = bound(req, "end");
            filter = filter.withKeyIds(keyIds).withRange(start, end, true);
        }
        return AdminReply.ok(EventJson.toJson(events.find(filter, EventRepository.Order.NONE, 0, 0)));
    }

    private static long bound(AdminRequest req, String name) {
        String v = req.queryFirst(name);
        if (v == null) {
            throw new AdminError(400, "/errors/query-param-" + name + "-missing", "query param " + name + " is missing",
                    name + " query param is not provided");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new AdminError(400, "/errors/bad-" + name + "-query-param", name + " query cannot be parsed",
                    name + " query param must be int64");
        }
    }

    AdminReply listV2(AdminRequest req) {
        EventsV2 r = req.bind(req.json(), EventsV2.class);
        long start = r.start() == null ? 0 : r.start();
        long end = r.end() == null ? 0 : r.end();
        int limit = r.limit() == null ? 0 : r.limit();
        int offset = r.offset() == null ? 0 : r.offset();
        validate(r, start, end, limit, offset);

        EventFilter filter = EventFilter.between(start, end)
                .withUserIds(r.userIds()).withCustomIds(r.customIds()).withKeyIds(r.keyIds()).withTags(r.tags())
                .withPolicyIds(r.policyIds()).withActions(r.actions()).withTeamIds(r.teamIds())
                .withStatus(r.status() == null ? 0 : r.status());
        EventRepository.Order order = EventRepository.Order.NONE;
        if (!str(r.costOrder()).isEmpty()) {
            order = asc(r.costOrder()) ? EventRepository.Order.COST_ASC : EventRepository.Order.COST_DESC;
        } else if (!str(r.dateOrder()).isEmpty()) {
            order = asc(r.dateOrder()) ? EventRepository.Order.DATE_ASC : EventRepository.Order.DATE_DESC;
        }
        long count = Boolean.TRUE.equals(r.returnCount()) ? events.count(filter) : 0;
        return AdminReply.ok(new EventPage(EventJson.toJson(events.find(filter, order, limit, offset)), count));
    }

    /** The original's rules and messages, in its order; negative limit/offset are ours (the original failed in SQL). */
    private static void validate(EventsV2 r, long start, long end, int limit, int offset) {
        List<String> invalid = new ArrayList<>();
        if (start == 0) invalid.add("start");
        if (end == 0) invalid.add("end");
        if (hasEmpty(r.keyIds())) invalid.add("keyIds");
        if (hasEmpty(r.userIds())) invalid.add("userIds");
        if (hasEmpty(r.teamIds())) invalid.add("teamIds");
        if (hasEmpty(r.customIds())) invalid.add("customIds");
        if (hasEmpty(r.policyIds())) invalid.add("policyIds");
        if (hasEmpty(r.tags())) invalid.add("tags");
        if (limit < 0) invalid.add("limit");
        if (offset < 0) invalid.add("offset");
        if (!invalid.isEmpty()) throw AdminError.validation("fields [" + String.join(", ", invalid) + "] are invalid");
        if (start >= end) throw AdminError.validation("start " + start + " cannot be larger than end " + end);
        String costOrder = str(r.costOrder());
        String dateOrder = str(r.dateOrder());
        if (!costOrder.isEmpty() && !isOrder(costOrder)) throw AdminError.validation("cost order is not valid " + costOrder);
        if (!dateOrder.isEmpty() && !isOrder(dateOrder)) throw AdminError.validation("date order is not valid " + dateOrder);
        if (!costOrder.isEmpty() && !dateOrder.isEmpty()) {
            throw AdminError.validation("cost order and date order cannot be both present");
        }
        if (r.actions() != null) {
            for (String a : r.actions()) {
                if (a == null || !ACTIONS.contains(a)) throw AdminError.validation("action cannot be " + a);
            }
        }
    }

    private static boolean hasEmpty(List<String> values) {
        if (values == null) return false;
        for (String v : values) if (v == null || v.isEmpty()) return true;
        return false;
    }

    private static boolean isOrder(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.equals("asc") || l.equals("desc");
    }

    private static boolean asc(String s) {
        return s.toLowerCase(Locale.ROOT).equals("asc");
    }

    private static String str(String s) {
        return s == null ? "" : s;
    }
}
