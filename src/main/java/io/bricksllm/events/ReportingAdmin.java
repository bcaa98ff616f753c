package io.bricksllm.events;

import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.events.EventSlice.Dimension;
import io.bricksllm.store.ApiKey;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Spend and usage reports (BEHAVIOUR.md §3.11), with the original's field names and real HTTP statuses for refusals
 * (400 for bad requests, 404 for an unknown key). Totals come from the hourly and daily rollups (issue 20.4,
 * {@link EventRollups}) wherever the request maps onto them, else from the events table; both give the same sums.
 */
public final class ReportingAdmin implements AdminResource {
    /** More buckets than this is a request mistake (e.g. a one-second increment over a year), not a report. */
    static final long MAX_BUCKETS = 100_000;
    private static final long DAY_SECONDS = 86_400;

    record ReportingRequest(List<String> keyIds, List<String> tags, List<String> customIds, List<String> userIds,
                            Long start, Long end, Long increment, List<String> filters, List<String> teamIds) {}

    record TopKeysRequest(List<String> tags, List<String> keyIds, String order, Long start, Long end, Integer limit,
                          Integer offset, String name, Boolean revoked) {}

    record KeySpend(String id, long costInMicroDollars) {}

    /** The original's data point, plus the token details (parts of the prompt and completion counts). */
    record DataPoint(long timeStamp, long numberOfRequests, double costInUsd, long latencyInMs, long promptTokenCount,
                     long completionTokenCount, long cacheReadTokenCount, long cacheWriteTokenCount,
                     long reasoningTokenCount, long successCount, String model, String keyId, String customId,
                     String userId) {}

    record Report(List<DataPoint> dataPoints, double latencyInMsMedian, double latencyInMs99th) {}

    record KeyDataPoint(String keyId, double costInUsd) {}

    record TopKeys(List<KeyDataPoint> dataPoints) {}

    private final EventRepository events;
    private final EventRollups rollups;
    private final Predicate<String> keyExists;
    private final Supplier<List<ApiKey>> allKeys;
    private final Predicate<String> teamExists;

    public ReportingAdmin(EventRepository events, Predicate<String> keyExists, Supplier<List<ApiKey>> allKeys) {
        this(events, keyExists, allKeys, id -> false);
    }

    public ReportingAdmin(EventRepository events, Predicate<String> keyExists, Supplier<List<ApiKey>> allKeys,
                          Predicate<String> teamExists) {
        this.teamExists = teamExists;
        this.events = events;
        this.rollups = events.rollups();
        this.keyExists = keyExists;
        this.allKeys = allKeys;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.GET, "/api/reporting/keys/:id", this::keySpend);
        routes.add(HttpMethod.GET, "/api/reporting/teams/:id", this::teamSpend);
        routes.add(HttpMethod.POST, "/api/reporting/events", this::eventReport);
        routes.add(HttpMethod.POST, "/api/reporting/events-by-day", this::eventsByDay);
        routes.add(HttpMethod.POST, "/api/reporting/top-keys", this::topKeys);
        routes.add(HttpMethod.GET, "/api/reporting/user-ids", req -> AdminReply.ok(rollups.userIds(keyIdParam(req))));
        routes.add(HttpMethod.GET, "/api/reporting/custom-ids", req -> AdminReply.ok(events.distinctCustomIds(keyIdParam(req))));
        routes.add(HttpMethod.POST, "/api/reporting/rollups/rebuild", req -> AdminReply.ok(rollups.rebuild()));
    }

    /** Total spend of a key: the sum over its events, read from the rollups (the original read a Redis counter). */
    AdminReply keySpend(AdminRequest req) {
        String id = req.pathParam("id");
        if (!keyExists.test(id)) {
            throw new AdminError(404, "/errors/key-not-found", "key not found", "api key is not found: " + id);
        }
        return AdminReply.ok(new KeySpend(id, EventRollups.micros(rollups.keyCostPico(id))));
    }

    /** Total spend of a team (issue 19.8): the events of its keys while they were in it, like {@link #keySpend}. */
    AdminReply teamSpend(AdminRequest req) {
        String id = req.pathParam("id");
        if (!teamExists.test(id)) {
            throw new AdminError(404, "/errors/team-not-found", "team not found", "team is not found: " + id);
        }
        return AdminReply.ok(new KeySpend(id, EventRollups.micros(rollups.teamCostPico(id))));
    }

    AdminReply eventReport(AdminRequest req) {
        ReportingRequest r = req.bind(req.json(), ReportingRequest.class);
        long start = num(r.start());
        long end = num(r.end());
        long increment = num(r.increment());
        if (start == 0 || end == 0 || increment <= 0 || start >= end) {
            throw invalid("event reporting request is not valid: start and end must be non-zero with start before end,"
                    + " and increment positive (start " + start + ", end " + end + ", increment " + increment + ")");
        }
        long buckets = bucketCount(start, end, increment);
        List<Dimension> groupBy = new ArrayList<>();
        for (String f : r.filters() == null ? List.<String>of() : r.filters()) {
            Dimension d = Dimension.byWireName(f);
            if (d == null) throw invalid("unknown filter " + f + "; filters can be model, keyId, customId and userId");
            if (!groupBy.contains(d)) groupBy.add(d);
        }

        // Percentiles use exactly the data points' filter: the time range always applies (the original
        // ignored it unless tags or keyIds were given, BEHAVIOUR.md §15.34).
        EventFilter filter = EventFilter.between(start, end).withKeyIds(r.keyIds()).withTags(r.tags())
                .withCustomIds(r.customIds()).withUserIds(r.userIds()).withTeamIds(r.teamIds());
        // Rollups answer buckets on whole hours grouped and filtered by their dimensions, and one tag from the tag
        // rollups (V20); several tags (the event must carry all of them), custom ids, or bucket edges inside an hour
        // need the events themselves.
        java.util.Set<String> tags = new java.util.LinkedHashSet<>(filter.tags());
        boolean rollupFilters = tags.size() <= 1 && filter.customIds().isEmpty();
        EventRollups.Scope scope = new EventRollups.Scope(start, end, r.keyIds(), r.userIds(), r.teamIds())
                .withTag(tags.isEmpty() ? null : tags.iterator().next());
        boolean fromRollups = EventRollups.answers(start, increment, groupBy) && rollupFilters;
        List<EventSlice> found = fromRollups
                ? rollups.aggregate(scope, start, increment, groupBy)
                : events.aggregate(filter, start, increment, groupBy);
        Map<Long, List<EventSlice>> bySlot = new HashMap<>();
        long total = 0;
        for (EventSlice s : found) {
            bySlot.computeIfAbsent(s.slot(), k -> new ArrayList<>()).add(s);
            total += s.requests();
        }
        List<DataPoint> points = new ArrayList<>();
        for (long i = 0; i < buckets; i++) {
            long t = start + i * increment;
            List<EventSlice> slices = bySlot.get(i);
            if (slices == null) {
                points.add(new DataPoint(t, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", "", "", ""));
                continue;
            }
            for (EventSlice s : slices) points.add(point(t, s));
        }
        // Percentiles are not sums: they come from the rollups' latency histograms (within 1/64 of the exact value,
        // LatencyHistogram) whenever the filters are rollup dimensions, whatever the buckets; else from the events.
        double[] p = new double[2];
        if (total > 0) {
            p = (rollupFilters ? rollups.latencyPercentiles(scope, 0.5, 0.99) : java.util.Optional.<double[]>empty())
                    .orElseGet(() -> events.latencyPercentiles(filter, 0.5, 0.99));
        }
        return AdminReply.ok(new Report(points, p[0], p[1]));
    }

    /**
     * Per UTC day and key, from the rollups (whole days from the daily table, partial days from the hourly one, a range
     * edge inside an hour from the events): the original read an {@code event_agg_by_day} table that nothing filled (BEHAVIOUR.md §15.33), so
     * it always answered an empty list. Counts events with {@code start <= created_at < end}; timeStamp is the day's
     * first second.
     */
    AdminReply eventsByDay(AdminRequest req) {
        ReportingRequest r = req.bind(req.json(), ReportingRequest.class);
        long start = num(r.start());
        long end = num(r.end());
        if (start == 0 || end == 0 || start >= end) {
            throw invalid("event reporting request is not valid: start and end must be non-zero with start before end"
                    + " (start " + start + ", end " + end + ")");
        }
        EventRollups.Scope scope = new EventRollups.Scope(start, end, r.keyIds(), null, r.teamIds());
        List<DataPoint> points = new ArrayList<>();
        for (EventSlice s : rollups.aggregate(scope, 0, DAY_SECONDS, List.of(Dimension.KEY_ID))) {
            points.add(new DataPoint(s.slot() * DAY_SECONDS, s.requests(), s.costInUsd(), s.latencyInMs(),
                    s.promptTokenCount(), s.completionTokenCount(), s.cacheReadTokenCount(), s.cacheWriteTokenCount(),
                    s.reasoningTokenCount(), s.successCount(), "", s.value(Dimension.KEY_ID), "", ""));
        }
        return AdminReply.ok(new Report(points, 0, 0));
    }

    /**
     * Keys by spend in {@code [start, end)}: keys created in the range that match the filters (spend 0 when
     * they have no events) together with keys that have events in the range and match the filters. The filters
     * (tags contain-all, keyIds, name substring ignoring case, revoked) apply to the key; events of a key that
     * no longer exists count only when no filter is given, as in the original's LEFT JOIN.
     */
    AdminReply topKeys(AdminRequest req) {
        TopKeysRequest r = req.bind(req.json(), TopKeysRequest.class);
        long start = num(r.start());
        long end = num(r.end());
        if (start == 0 || end == 0 || start >= end) {
            throw invalid("top key reporting request is not valid: start and end must be non-zero with start before end"
                    + " (start " + start + ", end " + end + ")");
        }
        List<String> tags = r.tags() == null ? List.of() : r.tags();
        List<String> keyIds = r.keyIds() == null ? List.of() : r.keyIds();
        if (tags.stream().anyMatch(t -> t == null || t.isEmpty())) {
            throw AdminError.validation("key reporting requst tag cannot be empty");
        }
        if (keyIds.stream().anyMatch(k -> k == null || k.isEmpty())) {
            throw AdminError.validation("key reporting requst key id cannot be empty");
        }
        String order = r.order() == null ? "" : r.order().toUpperCase(Locale.ROOT);
        if (!order.isEmpty() && !order.equals("DESC") && !order.equals("ASC")) {
            throw AdminError.validation("key reporting request order can only be desc or asc");
        }
        int limit = r.limit() == null ? 0 : r.limit();
        int offset = r.offset() == null ? 0 : r.offset();
        if (limit < 0 || offset < 0) throw AdminError.validation("key reporting request limit and offset cannot be negative");

        String name = r.name() == null ? "" : r.name().toLowerCase(Locale.ROOT);
        Boolean revoked = r.revoked();
        boolean filtered = !tags.isEmpty() || !keyIds.isEmpty() || !name.isEmpty() || revoked != null;
        Predicate<ApiKey> matches = k -> k.tags().containsAll(tags)
                && (keyIds.isEmpty() || keyIds.contains(k.keyId()))
                && (name.isEmpty() || (k.name() != null && k.name().toLowerCase(Locale.ROOT).contains(name)))
                && (revoked == null || k.revoked() == revoked);

        Map<String, ApiKey> keys = new HashMap<>();
        Map<String, Double> spend = new LinkedHashMap<>();
        for (ApiKey k : allKeys.get()) {
            keys.put(k.keyId(), k);
            if (k.createdAt() >= start && k.createdAt() < end && matches.test(k)) spend.put(k.keyId(), 0.0);
        }
        rollups.costByKey(start, end).forEach((keyId, cost) -> {
            ApiKey k = keys.get(keyId);
            if (k == null ? !filtered : matches.test(k)) spend.put(keyId, cost);
        });

        Comparator<KeyDataPoint> byCost = Comparator.comparingDouble(KeyDataPoint::costInUsd);
        if (!order.equals("ASC")) byCost = byCost.reversed();
        List<KeyDataPoint> points = new ArrayList<>();
        spend.forEach((k, v) -> points.add(new KeyDataPoint(k, v)));
        points.sort(byCost.thenComparing(KeyDataPoint::keyId));
        List<KeyDataPoint> page = points;
        if (limit > 0) page = points.subList(Math.min(offset, points.size()), (int) Math.min((long) offset + limit, points.size()));
        return AdminReply.ok(new TopKeys(List.copyOf(page)));
    }

    private static String keyIdParam(AdminRequest req) {
        String keyId = req.queryFirst("keyId");
        if (keyId == null || keyId.isEmpty()) {
            throw new AdminError(400, "/errors/missing-key-id", "key id query param is missing", "key id query is missing");
        }
        return keyId;
    }

    private static DataPoint point(long t, EventSlice s) {
        return new DataPoint(t, s.requests(), s.costInUsd(), s.latencyInMs(), s.promptTokenCount(),
                s.completionTokenCount(), s.cacheReadTokenCount(), s.cacheWriteTokenCount(), s.reasoningTokenCount(),
                s.successCount(), s.value(Dimension.MODEL), s.value(Dimension.KEY_ID),
                s.value(Dimension.CUSTOM_ID), s.value(Dimension.USER_ID));
    }

    /** Buckets start, start+increment, …, up to and including end (as the original's generate_series). */
    private static long bucketCount(long start, long end, long increment) {
        long span;
        try {
            span = Math.subtractExact(end, start);
        } catch (ArithmeticException e) {
            throw invalid("the range from " + start + " to " + end + " is too large");
        }
        long n = span / increment + 1;
        if (n > MAX_BUCKETS) {
            throw invalid("the request asks for " + n + " time buckets; at most " + MAX_BUCKETS
                    + " are allowed (use a larger increment)");
        }
        return n;
    }

    private static AdminError invalid(String detail) {
        return new AdminError(400, "/errors/invalid-reporting-request", "invalid reporting request", detail);
    }

    private static long num(Long v) {
        return v == null ? 0 : v;
    }
}
