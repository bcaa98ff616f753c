package io.bricksllm.events;

import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.store.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reading events: {@code GET /api/events} and {@code POST /api/v2/events} (BEHAVIOUR.md §3.10). */
public final class EventAdmin implements AdminResource {
    private static final Set<String> ACTIONS = Set.of("warned", "allowed", "blocked", "redacted");

    record EventsV2(List<String> userIds, List<String> customIds, List<String> keyIds, List<String> tags,
                    List<String> policyIds, List<String> actions, Long start, Long end, Integer limit, Integer offset,
                    String costOrder, String dateOrder, Boolean returnCount, Integer status, List<String> teamIds,
                    String cursor, List<String> models, Boolean includeBodies) {}

    /** Events per page when the call names no limit. */
    static final int DEFAULT_PAGE = 1_000;
    /** The most events one page holds: a larger limit is lowered to it (the next page's cursor carries on). */
    static final int MAX_PAGE = 10_000;
    /** Rows per internal page of an export: one query each, so no read stays open for the whole export. */
    static final int EXPORT_PAGE = 1_000;

    private final EventRepository events;

    public EventAdmin(EventRepository events) {
        this.events = events;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.GET, "/api/events", this::listV1);
        routes.add(HttpMethod.POST, "/api/v2/events", this::listV2);
        // before /api/events/:id, so that "export" is never taken for an id
        routes.add(HttpMethod.GET, "/api/events/export", this::export);
        routes.add(HttpMethod.GET, "/api/events/:id", this::one);
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
        int limit = v1Limit(req.queryFirst("limit"));
        boolean bodies = flag(req, "includeBodies");
        EventCursor after = v1Cursor(req.queryFirst("cursor"));
        EventRepository.Order order = EventRepository.Order.NONE;
        Optional<EventCursor> next = events.nextCursor(filter, order, after, 0, limit);
        EventFilter f = filter;
        return AdminReply.stream("application/json", next.map(c -> Map.of(NEXT_CURSOR, c.encode())).orElse(Map.of()), out -> {
            out.write('[');
            writeEvents(out, f, order, after, next.orElse(null), 0, limit, bodies);
            out.write(']');
        });
    }

    static final String NEXT_CURSOR = "X-Next-Cursor";

    /**
     * Streams one page as comma-separated JSON objects, each written as it is read. Up to {@code upTo} when there is a
     * next page, so the page ends exactly where the cursor already announced resumes, rows added meanwhile or not.
     */
    private void writeEvents(OutputStream out, EventFilter filter, EventRepository.Order order, EventCursor after,
                             EventCursor upTo, int offset, int limit, boolean bodies) {
        boolean[] first = {true};
        try (JsonGenerator g = EventJson.generator(out)) {
            events.page(filter, order, after, upTo, offset, limit, bodies, e -> {
                if (!first[0]) g.writeRaw(',');
                first[0] = false;
                EventJson.write(g, e, bodies);
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code GET /api/events/:id}: one event with its bodies (issue 20.2). */
    AdminReply one(AdminRequest req) {
        String id = req.pathParam("id");
        return events.byId(id).map(e -> AdminReply.ok(EventJson.toJson(e, true)))
                .orElseThrow(() -> new AdminError(404, "/errors/event-not-found", "event not found", "no event has id " + id));
    }

    /**
     * {@code GET /api/events/export?start=&end=[&keyIds=][&teamIds=][&customId=][&userId=][&includeBodies=true][&gzip=true]}:
     * every event with {@code start <= created_at < end} as NDJSON (one event per line, oldest first, bodies only
     * with includeBodies), read page by page and written as it is read. {@code gzip=true} answers a gzip file
     * (application/gzip); otherwise {@code Accept-Encoding: gzip} gets the NDJSON with Content-Encoding gzip.
     */
    AdminReply export(AdminRequest req) {
        long start = bound(req, "start");
        long end = bound(req, "end");
        if (start >= end) {
            throw new AdminError(400, "/errors/bad-export-range", "export range is empty",
                    "start " + start + " must be smaller than end " + end + " (the range is start <= created_at < end)");
        }
        boolean bodies = flag(req, "includeBodies");
        boolean gzipFile = flag(req, "gzip");
        boolean gzipEncoding = !gzipFile && acceptsGzip(req.header("Accept-Encoding"));
        EventFilter filter = EventFilter.between(start, end).withKeyIds(req.queryAll("keyIds")).withTeamIds(req.queryAll("teamIds"));
        String customId = req.queryFirst("customId");
        String userId = req.queryFirst("userId");
        if (customId != null && !customId.isEmpty()) filter = filter.withCustomIds(List.of(customId));
        if (userId != null && !userId.isEmpty()) filter = filter.withUserIds(List.of(userId));
        EventFilter f = filter;
        Map<String, String> headers = gzipEncoding ? Map.of("Content-Encoding", "gzip", "Vary", "Accept-Encoding") : Map.of();
        return AdminReply.stream(gzipFile ? "application/gzip" : "application/x-ndjson", headers, raw -> {
            OutputStream out = gzipFile || gzipEncoding ? new GZIPOutputStream(raw, 8192) : raw;
            EventRepository.Order order = EventRepository.Order.NONE;
            EventCursor after = null;
            try (JsonGenerator g = EventJson.generator(out)) {
                while (true) {
                    EventRepository.PageEnd page = events.page(f, order, after, null, 0, EXPORT_PAGE, bodies, e -> {
                        EventJson.write(g, e, bodies);
                        g.writeRaw('\n');
                    });
                    if (page.rows() < EXPORT_PAGE) break;
                    after = page.last();
                }
            }
            if (out instanceof GZIPOutputStream gz) gz.finish();
        });
    }

    private static boolean flag(AdminRequest req, String name) {
        String v = req.queryFirst(name);
        if (v == null || v.isEmpty() || v.equals("false")) return false;
        if (v.equals("true")) return true;
        throw new AdminError(400, "/errors/bad-" + name + "-query-param", name + " query cannot be parsed",
                name + " query param must be true or false");
    }

    /** True when Accept-Encoding lists gzip (or *) without q=0. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            String coding = p[0].trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("*")) continue;
            boolean refused = false;
            for (int i = 1; i < p.length; i++) {
                String param = p[i].trim().replace(" ", "");
                if (param.matches("q=0(\\.0*)?")) refused = true;
            }
            if (!refused) return true;
        }
        return false;
    }

    private static int v1Limit(String v) {
        if (v == null) return DEFAULT_PAGE;
        int limit;
        try {
            limit = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new AdminError(400, "/errors/bad-limit-query-param", "limit query cannot be parsed",
                    "limit query param must be an integer from 1 to " + MAX_PAGE);
        }
        if (limit < 1) {
            throw new AdminError(400, "/errors/bad-limit-query-param", "limit query is out of range",
                    "limit query param must be an integer from 1 to " + MAX_PAGE);
        }
        return Math.min(limit, MAX_PAGE);
    }

    private static EventCursor v1Cursor(String v) {
        if (v == null) return null;
        try {
            return EventCursor.decode(v, EventRepository.Order.NONE);
        } catch (EventCursor.Invalid e) {
            throw new AdminError(400, "/errors/bad-cursor-query-param", "cursor query is not valid",
                    "cursor query param must be an X-Next-Cursor value of this endpoint: " + e.getMessage());
        }
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
                .withPolicyIds(r.policyIds()).withActions(r.actions()).withTeamIds(r.teamIds()).withModels(r.models())
                .withStatus(r.status() == null ? 0 : r.status());
        EventRepository.Order order = EventRepository.Order.NONE;
        if (!str(r.costOrder()).isEmpty()) {
            order = asc(r.costOrder()) ? EventRepository.Order.COST_ASC : EventRepository.Order.COST_DESC;
        } else if (!str(r.dateOrder()).isEmpty()) {
            order = asc(r.dateOrder()) ? EventRepository.Order.DATE_ASC : EventRepository.Order.DATE_DESC;
        }
        EventCursor after;
        try {
            after = r.cursor() == null ? null : EventCursor.decode(r.cursor(), order);
        } catch (EventCursor.Invalid e) {
            throw AdminError.validation("cursor is not valid: " + e.getMessage());
        }
        if (after != null && offset > 0) throw AdminError.validation("offset cannot be used with cursor");
        int pageSize = limit == 0 ? DEFAULT_PAGE : Math.min(limit, MAX_PAGE);
        // the total of the whole filter, not of the page: one COUNT(*), only when asked for
        long count = Boolean.TRUE.equals(r.returnCount()) ? events.count(filter) : 0;
        Optional<EventCursor> next = events.nextCursor(filter, order, after, offset, pageSize);
        EventRepository.Order o = order;
        return AdminReply.stream("application/json", Map.of(), out -> {
            out.write("{\"events\":[".getBytes(StandardCharsets.UTF_8));
            writeEvents(out, filter, o, after, next.orElse(null), offset, pageSize, Boolean.TRUE.equals(r.includeBodies()));
            out.write(("],\"count\":" + count + ",\"nextCursor\":"
                    + (next.isPresent() ? Json.write(next.get().encode()) : "null") + "}").getBytes(StandardCharsets.UTF_8));
        });
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
