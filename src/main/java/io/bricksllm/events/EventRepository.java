package io.bricksllm.events;

import io.bricksllm.events.EventSlice.Dimension;
import io.bricksllm.store.Database;
import io.bricksllm.store.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code events} table: batch insert and the queries of the events and reporting APIs.
 * Bound parameters only; the SQL shape depends only on which filters are present.
 * Blocking: call from worker threads.
 */
public final class EventRepository {
    /**
     * PostgreSQL: rows per INSERT ... SELECT FROM unnest(one array per column): one parameter per column whatever
     * the row count, so the server parses and binds little per row (a 100-row VALUES list had 2,700 parameters).
     */
    private static final int ROWS_PER_ARRAY_STATEMENT = 1000;

    /** The type of each column, in INSERT order: how a value is bound, and its PostgreSQL array type. */
    private enum Col {
        TEXT("text"), LONG("int8"), DOUBLE("float8"), INT("int4"), BOOL("bool");

        final String pgType;

        Col(String pgType) {
            this.pgType = pgType;
        }
    }

    private static final Col[] COLUMNS = {Col.TEXT, Col.LONG, Col.TEXT, Col.TEXT, Col.TEXT, Col.DOUBLE, Col.TEXT, Col.TEXT,
            Col.INT, Col.INT, Col.INT, Col.INT, Col.TEXT, Col.TEXT, Col.TEXT, Col.TEXT, Col.TEXT, Col.TEXT,
            Col.TEXT, Col.TEXT, Col.TEXT, Col.BOOL, Col.INT, Col.INT, Col.TEXT, Col.TEXT, Col.LONG, Col.LONG, Col.LONG, Col.TEXT, Col.TEXT};

    /**
     * The columns written, in {@link #COLUMNS} order. Not request/response: bodies go to event_bodies (issue 20.2), the
     * events columns hold only bodies written before V14.
     */
    private static final String INSERTED_COLUMNS = "event_id, created_at, tags, tag_index, key_id, "
            + "cost_in_usd, provider, model, status_code, prompt_token_count, completion_token_count, latency_in_ms, "
            + "path, method, custom_id, user_id, action, policy_id, route_id, correlation_id, "
            + "metadata, unpriced, route_step, route_attempt, policy_findings, usage_anomaly, cache_read_token_count, "
            + "cache_write_token_count, reasoning_token_count, team_id, attempt_reason";
    private static final String INSERT_INTO = "INSERT INTO events (" + INSERTED_COLUMNS + ")";
    /**
     * An event already stored is skipped (a spool replay). No conflict target: the key is event_id on SQLite and
     * (event_id, created_at) on PostgreSQL, whose events are partitioned by created_at (V15) — a replayed event has
     * the id and the time it had, and ids are UUIDv7 made at the event's time, so both keys say the same.
     */
    private static final String INSERT_TAIL = " ON CONFLICT DO NOTHING";
    /** SQLite: one row, as many parameters as columns. */
    private static final String ROW_INSERT = INSERT_INTO + " VALUES (" + "?,".repeat(COLUMNS.length - 1) + "?)" + INSERT_TAIL;
    /** PostgreSQL: one array per column, then the bodies' three; events and their bodies in one statement. */
    private static final String ARRAY_INSERT = arrayInsertSql();
    private static final String BODY_COLUMNS = "event_id, created_at, codec, request, response";

    /** Every column {@link #event} reads, in its order, except the bodies (see {@link #bodyColumns}). */
    private static final String COLUMNS_BEFORE_BODIES = "SELECT event_id, created_at, tags, key_id, cost_in_usd, provider, model, "
            + "status_code, prompt_token_count, completion_token_count, latency_in_ms, path, method, custom_id, ";
    private static final String COLUMNS_AFTER_BODIES = ", user_id, action, policy_id, route_id, correlation_id, metadata, unpriced, "
            + "route_step, route_attempt, policy_findings, usage_anomaly, "
            + "cache_read_token_count, cache_write_token_count, reasoning_token_count, team_id, attempt_reason";
    /** The bodies of event_bodies (issue 20.2), by primary key, after every other column. */
    private static final String KEPT_APART_BODIES = ", (SELECT b.codec FROM event_bodies b WHERE b.event_id = events.event_id AND b.created_at = events.created_at), "
            + "(SELECT b.request FROM event_bodies b WHERE b.event_id = events.event_id AND b.created_at = events.created_at), "
            + "(SELECT b.response FROM event_bodies b WHERE b.event_id = events.event_id AND b.created_at = events.created_at)";
    /** SQLite: bodies of one added row. */
    private static final String BODY_ROW_INSERT = "INSERT INTO event_bodies (" + BODY_COLUMNS + ") VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING";

    private static final String SELECT = select(true);

    private static final String SELECT_LATENCY = "SELECT latency_in_ms FROM events";

    /**
     * PostgreSQL: rows fetched per round trip while a page is streamed (the driver otherwise reads the whole result
     * before returning the first row). SQLite steps through rows as they are read anyway.
     */
    private static final int STREAM_FETCH_SIZE = 100;

    /**
     * Result order of {@link #find} and {@link #page}: one column, then the event id in the same direction, so the
     * order is total and a page ends at a (value, event_id) pair that {@link EventCursor} can resume after.
     */
    public enum Order {
        NONE("created_at", true),
        COST_ASC("cost_in_usd", true),
        COST_DESC("cost_in_usd", false),
        DATE_ASC("created_at", true),
        DATE_DESC("created_at", false);

        private final String column;
        private final boolean ascending;
        private final String sql;

        Order(String column, boolean ascending) {
            this.column = column;
            this.ascending = ascending;
            String dir = ascending ? " ASC" : " DESC";
            this.sql = column + dir + ", event_id" + dir;
        }

        boolean byCost() {
            return column.equals("cost_in_usd");
        }

        /** Rows strictly after a cursor in this order (a row value, which both databases match to an index range). */
        String after() {
            return "(" + column + ", event_id) " + (ascending ? ">" : "<") + " (?, ?)";
        }

        /** Rows up to and including a cursor in this order. */
        String upTo() {
            return "(" + column + ", event_id) " + (ascending ? "<=" : ">=") + " (?, ?)";
        }

        EventCursor cursorOf(Event e) {
            return new EventCursor(this, byCost() ? Double.doubleToLongBits(e.costInUsd()) : e.createdAt(), e.id());
        }

        EventCursor cursorOf(ResultSet rs, int valueColumn, int idColumn) throws SQLException {
            long value = byCost() ? Double.doubleToLongBits(rs.getDouble(valueColumn)) : rs.getLong(valueColumn);
            return new EventCursor(this, value, rs.getString(idColumn));
        }
    }

    /** Receives the events of a page one at a time, as they are read. */
    @FunctionalInterface
    public interface EventConsumer {
        void accept(Event event) throws IOException;
    }

    /** What {@link #page} read: how many rows, and the cursor of the last one (null when none). */
    public record PageEnd(int rows, EventCursor last) {}

    private final Database db;
    private final EventRollups rollups;

    public EventRepository(Database db) {
        this.db = db;
        this.rollups = new EventRollups(db);
    }

    /** The hourly totals this repository keeps up to date as it inserts (issue 20.4). */
    public EventRollups rollups() {
        return rollups;
    }

    /**
     * Inserts the events in one transaction. An id already stored is skipped, so replaying a batch that was
     * partly written before is harmless. The rows actually added (and only those: a replayed event must not count
     * twice) are added to the hourly rollups in the same transaction. Returns the number of rows actually added.
     */
    public int insert(List<Event> events) {
        if (events.isEmpty()) return 0;
        if (db.dialect() == Database.Dialect.SQLITE) return insertOneStatement(events);
        return db.write(c -> {
            List<Event> added = new ArrayList<>(events.size());
            for (int from = 0; from < events.size(); from += ROWS_PER_ARRAY_STATEMENT) {
                List<Event> part = events.subList(from, Math.min(events.size(), from + ROWS_PER_ARRAY_STATEMENT));
                Set<String> ids = new HashSet<>();
                try (PreparedStatement ps = c.prepareStatement(ARRAY_INSERT)) {
                    bindColumns(c, ps, part);
                    bindBodies(c, ps, COLUMNS.length + 1, part);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) ids.add(rs.getString(1));
                    }
                }
                // RETURNING names the ids inserted; removing each one as it is matched keeps a second event with
                // the same id in the batch (skipped by ON CONFLICT) out of the rollups
                for (Event e : part) if (ids.remove(clean(e.id(), 64))) added.add(e);
            }
            rollups.add(c, added);
            return added.size();
        });
    }

    /**
     * SQLite: the bodies of the rows just added, compressed, into event_bodies in the caller's transaction (issue
     * 20.2): only rows this batch added, so a replayed batch neither duplicates nor replaces bodies.
     */
    private static void insertBodies(java.sql.Connection c, List<Event> added) throws SQLException {
        PreparedStatement ps = null;
        try {
            for (Event e : added) {
                if (e.request() == null && e.response() == null) continue;
                if (ps == null) ps = c.prepareStatement(BODY_ROW_INSERT);
                BodyCodec.Stored request = BodyCodec.encode(e.request());
                BodyCodec.Stored response = BodyCodec.encode(e.response());
                ps.setString(1, clean(e.id(), 64));
                ps.setLong(2, e.createdAt());
                ps.setInt(3, BodyCodec.pack(request.codec(), response.codec()));
                setBytes(ps, 4, request.bytes());
                setBytes(ps, 5, response.bytes());
                ps.addBatch();
            }
            if (ps != null) ps.executeBatch();
        } finally {
            if (ps != null) ps.close();
        }
    }

    /**
     * PostgreSQL: the bodies of every event of the statement as three arrays (codec, request, response) from parameter
     * {@code first}; {@link #ARRAY_INSERT} stores those of the rows it added, so a replayed batch neither duplicates nor
     * replaces bodies. An event without bodies has a NULL codec (no row), and so has a repeat of an id earlier in the
     * statement: ON CONFLICT keeps the first event of an id, so its bodies are the first one's (or none).
     */
    private static void bindBodies(java.sql.Connection c, PreparedStatement ps, int first, List<Event> events) throws SQLException {
        int n = events.size();
        Short[] codecs = new Short[n];
        byte[][] requests = new byte[n][];
        byte[][] responses = new byte[n][];
        Set<String> seen = new HashSet<>(n * 2);
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            if (!seen.add(clean(e.id(), 64)) || e.request() == null && e.response() == null) continue;
            BodyCodec.Stored request = BodyCodec.encode(e.request());
            BodyCodec.Stored response = BodyCodec.encode(e.response());
            codecs[i] = (short) BodyCodec.pack(request.codec(), response.codec());
            requests[i] = request.bytes();
            responses[i] = response.bytes();
        }
        ps.setArray(first, c.createArrayOf("int2", codecs));
        ps.setArray(first + 1, c.createArrayOf("bytea", requests));
        ps.setArray(first + 2, c.createArrayOf("bytea", responses));
    }

    /**
     * SQLite: one single-row statement, prepared once per batch and executed per row. Compiling a 100-row
     * statement (2,700 parameters) for every 100 rows was a fifth of the writer's time; SQLite runs a prepared
     * statement per row as fast as a multi-row one. (PostgreSQL gets arrays instead: one round trip per statement.)
     * The per-row update counts say which rows were added (0 for an id already stored).
     */
    private int insertOneStatement(List<Event> events) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(ROW_INSERT)) {
                TagForms tags = new TagForms();
                for (Event e : events) {
                    bindRow(ps, e, tags);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                List<Event> added = new ArrayList<>(events.size());
                for (int i = 0; i < counts.length; i++) if (counts[i] > 0) added.add(events.get(i));
                insertBodies(c, added);
                rollups.add(c, added);
                return added.size();
            }
        });
    }

    public List<Event> find(EventFilter filter, Order order, int limit, int offset) {
        Where w = where(filter);
        StringBuilder sql = new StringBuilder(SELECT).append(w.sql).append(" ORDER BY ").append(order.sql);
        if (limit > 0) {
            sql.append(" LIMIT ? OFFSET ?");
            w.params.add(limit);
            w.params.add(offset);
        }
        return db.query(sql.toString(), EventRepository::event, w.params.toArray());
    }

    /**
     * The cursor of the last row of the page that starts after {@code after} (null: at the beginning), skips
     * {@code offset} rows and holds {@code limit}, when at least one more row follows it; empty on the last page.
     * Reads keys only (the indexes of V11 cover the common filters), at most {@code offset + limit + 1} of them.
     */
    public Optional<EventCursor> nextCursor(EventFilter filter, Order order, EventCursor after, int offset, int limit) {
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive");
        Where w = keyset(filter, order, after, null);
        w.params.add(2);
        w.params.add((long) offset + limit - 1);
        String sql = "SELECT " + order.column + ", event_id FROM events" + w.sql + " ORDER BY " + order.sql + " LIMIT ? OFFSET ?";
        List<EventCursor> rows = db.query(sql, rs -> order.cursorOf(rs, 1, 2), w.params.toArray());
        return rows.size() == 2 ? Optional.of(rows.get(0)) : Optional.empty();
    }

    /**
     * Streams one page in {@code order}: the rows after {@code after} (exclusive; null = from the start) and up to
     * {@code upTo} (inclusive; null = no bound), skipping {@code offset}, at most {@code limit}. Each event goes to
     * {@code out} as it is read, so one event at a time is in memory whatever the page holds; {@code out} may
     * block (a slow client) while the page's read is open. Bodies are read only when {@code withBodies}.
     */
    public PageEnd page(EventFilter filter, Order order, EventCursor after, EventCursor upTo, int offset, int limit,
                        boolean withBodies, EventConsumer out) {
        Query q = pageQuery(filter, order, after, upTo, offset, limit, withBodies);
        boolean postgres = db.dialect() == Database.Dialect.POSTGRES;
        return db.withConnection(c -> {
            boolean auto = c.getAutoCommit();
            // PostgreSQL streams a result (fetch size honoured) only inside a transaction
            if (postgres) c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                ps.setFetchSize(STREAM_FETCH_SIZE);
                Database.bind(ps, q.params().toArray());
                int rows = 0;
                Event last = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = event(rs);
                        out.accept(last);
                        rows++;
                    }
                }
                return new PageEnd(rows, last == null ? null : order.cursorOf(last));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (postgres) {
                    c.rollback(); // read only: nothing to keep
                    c.setAutoCommit(auto);
                }
            }
        });
    }

    /** A statement and its parameters. */
    record Query(String sql, List<Object> params) {}

    /** The SELECT of {@link #page} (package-private so that a test can EXPLAIN it). */
    Query pageQuery(EventFilter filter, Order order, EventCursor after, EventCursor upTo, int offset, int limit, boolean withBodies) {
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive");
        Where w = keyset(filter, order, after, upTo);
        w.params.add(limit);
        w.params.add(offset);
        return new Query(select(withBodies) + w.sql + " ORDER BY " + order.sql + " LIMIT ? OFFSET ?", w.params);
    }

    private Where keyset(EventFilter filter, Order order, EventCursor after, EventCursor upTo) {
        Where w = where(startingAt(filter, order, after));
        for (EventCursor bound : new EventCursor[] {after, upTo}) {
            if (bound == null) continue;
            if (bound.order() != order) throw new IllegalArgumentException("a cursor of " + bound.order() + " used with " + order);
            w.add(bound == after ? order.after() : order.upTo());
            w.params.add(bound.sortValue());
            w.params.add(bound.eventId());
            if (db.dialect() == Database.Dialect.POSTGRES && !order.byCost()) {
                // implied by the row comparison, which PostgreSQL does not prune day partitions (V15) by: this does
                w.add("created_at " + ((bound == after) == order.ascending ? ">=" : "<=") + " ?");
                w.params.add(bound.sortValue());
            }
        }
        return w;
    }

    /**
     * The filter with its created_at range narrowed to the rows a cursor resumes at: a redundant bound (the row value
     * implies it), but SQLite uses only one lower bound of a column for the index range, and with the filter's own
     * {@code created_at >= start} beside the row value it took that one — every page then walked the index from the
     * range's start to its cursor, so page n cost O(n) (p90 2-3x the median over 10^6 events of one key).
     */
    static EventFilter startingAt(EventFilter filter, Order order, EventCursor after) {
        if (after == null || order.byCost()) return filter;
        long v = after.value(); // created_at
        if (order.ascending) {
            return filter.start() != null && filter.start() >= v ? filter : filter.withRange(v, filter.end(), filter.endInclusive());
        }
        if (filter.end() == null || filter.end() > v) {
            return filter.withRange(filter.start(), v, true); // created_at <= v: rows at v with a smaller id come next
        }
        return filter;
    }

    /**
     * The one place that reads bodies: the SELECT of every column, with the bodies (event_bodies' row, else the inline
     * columns of an event written before V14) read as NULL (not logged) when they are not wanted.
     */
    private static String select(boolean withBodies) {
        return COLUMNS_BEFORE_BODIES + (withBodies ? "request, response" : "NULL AS request, NULL AS response") + COLUMNS_AFTER_BODIES
                + (withBodies ? KEPT_APART_BODIES : ", NULL, NULL, NULL") + " FROM events";
    }

    /** One event with its bodies ({@code GET /api/events/:id}); empty when no event has this id. */
    public Optional<Event> byId(String eventId) {
        List<Event> found = db.query(SELECT + " WHERE event_id = ?", EventRepository::event, clean(eventId, Integer.MAX_VALUE));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public long count(EventFilter filter) {
        Where w = where(filter);
        return db.query("SELECT COUNT(*) FROM events" + w.sql, rs -> rs.getLong(1), w.params.toArray()).get(0);
    }

    /**
     * Totals per time slot and group: slot = (created_at - origin) / width, for events of the filter
     * (whose start must not be before {@code origin}). Ordered by slot, then by the group values.
     */
    public List<EventSlice> aggregate(EventFilter filter, long origin, long width, List<Dimension> groupBy) {
        if (width <= 0) throw new IllegalArgumentException("width must be positive");
        List<Dimension> dims = List.copyOf(new LinkedHashSet<>(groupBy));
        StringBuilder select = new StringBuilder("SELECT (created_at - ?) / ?");
        StringBuilder positions = new StringBuilder("1");
        for (int i = 0; i < dims.size(); i++) {
            select.append(", ").append(dims.get(i).column());
            positions.append(", ").append(i + 2);
        }
        select.append(", COUNT(*), SUM(cost_in_usd), SUM(latency_in_ms), SUM(prompt_token_count), "
                + "SUM(completion_token_count), SUM(CASE WHEN status_code = 200 THEN 1 ELSE 0 END), "
                + "SUM(cache_read_token_count), SUM(cache_write_token_count), SUM(reasoning_token_count) FROM events");
        Where w = where(filter);
        List<Object> params = new ArrayList<>();
        params.add(origin);
        params.add(width);
        params.addAll(w.params);
        String sql = select.toString() + w.sql + " GROUP BY " + positions + " ORDER BY " + positions;
        return db.query(sql, rs -> {
            Map<Dimension, String> values = new EnumMap<>(Dimension.class);
            int col = 2;
            for (Dimension d : dims) {
                String v = rs.getString(col++);
                values.put(d, v == null ? "" : v);
            }
            return new EventSlice(rs.getLong(1), values, rs.getLong(col), rs.getDouble(col + 1), rs.getLong(col + 2),
                    rs.getLong(col + 3), rs.getLong(col + 4), rs.getLong(col + 5), rs.getLong(col + 6), rs.getLong(col + 7),
                    rs.getLong(col + 8));
        }, params.toArray());
    }

    /**
     * Continuous percentile (linear interpolation between the two nearest ranks, as PostgreSQL's
     * percentile_cont) of latency_in_ms over the filter; {@code count} is the number of matching events.
     * The database sorts; only the one or two values needed are read.
     */
    public double latencyPercentile(EventFilter filter, long count, double fraction) {
        if (count <= 0) return 0;
        double position = fraction * (count - 1);
        long lower = (long) Math.floor(position);
        long upper = (long) Math.ceil(position);
        Where w = where(filter);
        w.params.add(upper - lower + 1);
        w.params.add(lower);
        List<Long> v = db.query(SELECT_LATENCY + w.sql + " ORDER BY latency_in_ms LIMIT ? OFFSET ?",
                rs -> rs.getLong(1), w.params.toArray());
        if (v.isEmpty()) return 0; // rows vanished between the count and this read
        if (v.size() == 1) return v.get(0);
        return v.get(0) + (v.get(1) - v.get(0)) * (position - lower);
    }

    /**
     * Continuous percentiles (as {@link #latencyPercentile}) of latency_in_ms over the filter, all from one read of the
     * count of each distinct latency: the database groups (a few thousand distinct millisecond values at most in
     * practice) instead of sorting every matching event once per percentile, about ten times faster at 10^7 events.
     */
    public double[] latencyPercentiles(EventFilter filter, double... fractions) {
        Where w = where(filter);
        List<long[]> histogram = db.query("SELECT latency_in_ms, COUNT(*) FROM events" + w.sql
                + " GROUP BY latency_in_ms ORDER BY latency_in_ms", rs -> new long[] {rs.getLong(1), rs.getLong(2)}, w.params.toArray());
        long count = 0;
        for (long[] h : histogram) count += h[1];
        double[] out = new double[fractions.length];
        if (count == 0) return out;
        for (int i = 0; i < fractions.length; i++) out[i] = percentile(histogram, fractions[i]);
        return out;
    }

    /** The percentile of the multiset an ascending (value, count) list describes: linear between the two nearest ranks. */
    static double percentile(List<long[]> histogram, double fraction) {
        long count = 0;
        for (long[] h : histogram) count += h[1];
        if (count == 0) return 0;
        double position = fraction * (count - 1);
        long lower = (long) Math.floor(position);
        long upper = (long) Math.ceil(position);
        long a = ranked(histogram, lower);
        long b = ranked(histogram, upper);
        return a + (b - a) * (position - lower);
    }

    /** The value at 0-based rank {@code rank} of the multiset the (value, count) histogram describes. */
    private static long ranked(List<long[]> histogram, long rank) {
        long seen = 0;
        for (long[] h : histogram) {
            seen += h[1];
            if (rank < seen) return h[0];
        }
        return histogram.get(histogram.size() - 1)[0];
    }

    /** Spend per key id (keys with at least one event in {@code [start, end)}; unauthenticated events excluded). */
    public Map<String, Double> costByKey(long start, long end) {
        Map<String, Double> out = new LinkedHashMap<>();
        db.query("SELECT key_id, SUM(cost_in_usd) FROM events WHERE key_id <> '' AND created_at >= ? AND created_at < ? "
                        + "GROUP BY key_id", rs -> out.put(rs.getString(1), rs.getDouble(2)), start, end);
        return out;
    }

    /** Total recorded spend of a key over all its events. */
    public double totalCost(String keyId) {
        return db.query("SELECT COALESCE(SUM(cost_in_usd), 0) FROM events WHERE key_id = ?", rs -> rs.getDouble(1),
                clean(keyId, Integer.MAX_VALUE)).get(0);
    }

    /** Total spend recorded for the keys of a team (each event carries its key's team at request time). */
    public double totalTeamCost(String teamId) {
        return db.query("SELECT COALESCE(SUM(cost_in_usd), 0) FROM events WHERE team_id = ?", rs -> rs.getDouble(1),
                clean(teamId, Integer.MAX_VALUE)).get(0);
    }

    public List<String> distinctUserIds(String keyId) {
        return db.query("SELECT DISTINCT user_id FROM events WHERE key_id = ? AND user_id <> '' ORDER BY user_id",
                rs -> rs.getString(1), clean(keyId, Integer.MAX_VALUE));
    }

    /** Read from the partial index (key_id, custom_id) of V16 alone: no event row is visited. */
    static final String DISTINCT_CUSTOM_IDS = "SELECT DISTINCT custom_id FROM events WHERE key_id = ? AND custom_id <> '' ORDER BY custom_id";

    public List<String> distinctCustomIds(String keyId) {
        return db.query(DISTINCT_CUSTOM_IDS, rs -> rs.getString(1), clean(keyId, Integer.MAX_VALUE));
    }

    // ---- SQL building --------------------------------------------------------------------------------------

    private static final class Where {
        final StringBuilder sql = new StringBuilder();
        final List<Object> params = new ArrayList<>();

        void add(String clause) {
            sql.append(sql.isEmpty() ? " WHERE " : " AND ").append(clause);
        }

        void in(String column, List<String> values) {
            if (values.isEmpty()) return;
            StringBuilder c = new StringBuilder(column).append(" IN (");
            for (int i = 0; i < values.size(); i++) {
                c.append(i == 0 ? "?" : ", ?");
                params.add(clean(values.get(i), Integer.MAX_VALUE));
            }
            add(c.append(')').toString());
        }

        /** As {@link #in}, for the columns whose index leaves out '' (V5): the extra term lets the planner use it. */
        void inNonEmpty(String column, List<String> values) {
            in(column, values);
            if (!values.isEmpty() && values.stream().noneMatch(v -> clean(v, Integer.MAX_VALUE).isEmpty())) add(column + " <> ''");
        }
    }

    private Where where(EventFilter f) {
        Where w = new Where();
        if (f.start() != null) {
            w.add("created_at >= ?");
            w.params.add(f.start());
        }
        if (f.end() != null) {
            w.add(f.endInclusive() ? "created_at <= ?" : "created_at < ?");
            w.params.add(f.end());
        }
        w.in("key_id", f.keyIds());
        w.inNonEmpty("custom_id", f.customIds());
        w.inNonEmpty("user_id", f.userIds());
        w.inNonEmpty("team_id", f.teamIds());
        w.in("policy_id", f.policyIds());
        w.in("action", f.actions());
        w.in("model", f.models());
        // instr/strpos: case-sensitive substring test with no pattern characters to escape
        String contains = db.dialect() == Database.Dialect.POSTGRES ? "strpos(tag_index, ?) > 0" : "instr(tag_index, ?) > 0";
        for (String tag : new LinkedHashSet<>(f.tags())) {
            w.add(contains);
            w.params.add("|" + encodeTag(tag) + "|");
        }
        if (f.status() != 0) {
            w.add("status_code = ?");
            w.params.add(f.status());
        }
        return w;
    }

    /**
     * PostgreSQL: the rows of the arrays (the events' columns, then codec, request, response), the events added (an id
     * already stored is skipped) and, in the same statement, the bodies of those added: one round trip, and the ids and
     * times are sent once for both tables. Answers the ids added.
     */
    private static String arrayInsertSql() {
        StringBuilder sb = new StringBuilder("WITH batch AS (SELECT * FROM unnest(");
        for (int i = 0; i < COLUMNS.length; i++) sb.append(i == 0 ? "" : ", ").append("?::").append(COLUMNS[i].pgType).append("[]");
        sb.append(", ?::int2[], ?::bytea[], ?::bytea[]) AS b(").append(INSERTED_COLUMNS).append(", codec, request, response)), ")
                .append("added AS (").append(INSERT_INTO).append(" SELECT ").append(INSERTED_COLUMNS).append(" FROM batch")
                .append(INSERT_TAIL).append(" RETURNING event_id), ")
                .append("bodies AS (INSERT INTO event_bodies (").append(BODY_COLUMNS).append(") SELECT ").append(BODY_COLUMNS)
                .append(" FROM batch WHERE codec IS NOT NULL AND event_id IN (SELECT event_id FROM added)")
                .append(" ON CONFLICT DO NOTHING) ")
                .append("SELECT event_id FROM added");
        return sb.toString();
    }

    // ---- row codec -----------------------------------------------------------------------------------------

    /**
     * Binds one event. Values are made storable on both databases rather than letting one bad event fail
     * its whole batch: strings are cut to their column width and lose NUL characters (PostgreSQL rejects
     * them), counts are clamped to INTEGER (the BIGINT token details to 0 or more), a non-finite cost becomes 0.
     */
    private static void bindRow(PreparedStatement ps, Event e, TagForms tags) throws SQLException {
        Object[] v = values(e, tags);
        for (int i = 0; i < COLUMNS.length; i++) {
            int p = i + 1;
            switch (COLUMNS[i]) {
                case TEXT -> {
                    if (v[i] == null) ps.setNull(p, Types.VARCHAR);
                    else ps.setString(p, (String) v[i]);
                }
                case LONG -> ps.setLong(p, (Long) v[i]);
                case DOUBLE -> ps.setDouble(p, (Double) v[i]);
                case INT -> ps.setInt(p, (Integer) v[i]);
                case BOOL -> ps.setBoolean(p, (Boolean) v[i]);
            }
        }
    }

    /** PostgreSQL: the events as one array per column, for {@link #ARRAY_INSERT}. */
    private static void bindColumns(java.sql.Connection c, PreparedStatement ps, List<Event> events) throws SQLException {
        int n = events.size();
        TagForms tags = new TagForms();
        Object[][] columns = new Object[COLUMNS.length][];
        for (int i = 0; i < COLUMNS.length; i++) {
            columns[i] = switch (COLUMNS[i]) {
                case TEXT -> new String[n];
                case LONG -> new Long[n];
                case DOUBLE -> new Double[n];
                case INT -> new Integer[n];
                case BOOL -> new Boolean[n];
            };
        }
        for (int r = 0; r < n; r++) {
            Object[] v = values(events.get(r), tags);
            for (int i = 0; i < COLUMNS.length; i++) columns[i][r] = v[i];
        }
        for (int i = 0; i < COLUMNS.length; i++) ps.setArray(i + 1, c.createArrayOf(COLUMNS[i].pgType, columns[i]));
    }

    /** The column values of one event in INSERT order, typed as {@link #COLUMNS} says, made storable. */
    private static Object[] values(Event e, TagForms tags) {
        TagForms.Stored t = tags.of(e.tags());
        return new Object[] {
                clean(e.id(), 64),
                e.createdAt(),
                t.json(),
                t.index(),
                clean(e.keyId(), 255),
                Double.isFinite(e.costInUsd()) ? e.costInUsd() : 0.0,
                clean(e.provider(), 255),
                clean(e.model(), 255),
                e.status(),
                clampInt(e.promptTokenCount()),
                clampInt(e.completionTokenCount()),
                clampInt(e.latencyInMs()),
                clean(e.path(), Integer.MAX_VALUE),
                clean(e.method(), 16),
                clean(e.customId(), 255),
                clean(e.userId(), 255),
                clean(e.action(), 32),
                clean(e.policyId(), 255),
                clean(e.routeId(), 255),
                clean(e.correlationId(), 64),
                e.metadata() == null ? null : clean(e.metadata(), Integer.MAX_VALUE),
                e.unpriced(),
                e.routeStep(),
                e.routeAttempt(),
                clean(e.policyFindings(), Integer.MAX_VALUE),
                clean(e.usageAnomaly(), 255),
                Math.max(0, e.cacheReadTokenCount()),
                Math.max(0, e.cacheWriteTokenCount()),
                Math.max(0, e.reasoningTokenCount()),
                clean(e.teamId(), 255),
                clean(e.attemptReason(), 32)};
    }

    private static void setBytes(PreparedStatement ps, int p, byte[] bytes) throws SQLException {
        if (bytes == null) ps.setNull(p, Types.BINARY);
        else ps.setBytes(p, bytes);
    }

    private static Event event(ResultSet rs) throws SQLException {
        byte[] request = rs.getBytes(15);
        byte[] response = rs.getBytes(16);
        Object codec = rs.getObject(33);
        if (codec != null) { // kept apart (written after V14); else the inline columns of an older row
            int k = ((Number) codec).intValue();
            request = BodyCodec.decode(BodyCodec.requestCodec(k), rs.getBytes(34));
            response = BodyCodec.decode(BodyCodec.responseCodec(k), rs.getBytes(35));
        }
        return new Event(rs.getString(1), rs.getLong(2), Json.strings(rs.getString(3)), rs.getString(4), rs.getDouble(5),
                rs.getString(6), rs.getString(7), rs.getInt(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                rs.getString(12), rs.getString(13), rs.getString(14), request, response, rs.getString(17),
                rs.getString(18), rs.getString(19), rs.getString(20), rs.getString(21), rs.getString(22), rs.getBoolean(23),
                rs.getInt(24), rs.getInt(25), rs.getString(26), rs.getString(27), rs.getLong(28), rs.getLong(29), rs.getLong(30),
                rs.getString(31), rs.getString(32));
    }

    /** Without NUL characters and at most {@code max} UTF-16 units, never splitting a surrogate pair. */
    static String clean(String s, int max) {
        if (s == null) return "";
        if (s.indexOf('\0') >= 0) s = s.replace("\0", "");
        if (s.length() <= max) return s;
        int cut = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, cut);
    }

    private static int clampInt(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    /**
     * The stored forms of a batch's tag lists (JSON and {@link #tagIndex}), made once per distinct list: a batch's
     * events mostly carry the tags of a few keys, and serialising them for every event was a visible part of the
     * writer's time.
     */
    private static final class TagForms {
        record Stored(String json, String index) {}

        private final Map<List<String>, Stored> made = new java.util.HashMap<>();
        /** The list asked last: a key's events carry its very tag list, so runs of them skip hashing the list. */
        private List<String> lastTags;
        private Stored last;

        Stored of(List<String> tags) {
            if (tags == lastTags) return last;
            Stored s = made.get(tags);
            if (s == null) {
                s = new Stored(Json.write(tags), tagIndex(tags));
                made.put(List.copyOf(tags), s);
            }
            lastTags = tags;
            last = s;
            return s;
        }
    }

    /** {@code |t1|t2|}: each tag with '%', '|' and NUL percent-encoded, so '|' only ever delimits. */
    static String tagIndex(List<String> tags) {
        StringBuilder sb = new StringBuilder("|");
        for (String t : tags) sb.append(encodeTag(t)).append('|');
        return sb.toString();
    }

    static String encodeTag(String tag) {
        if (tag.indexOf('%') < 0 && tag.indexOf('|') < 0 && tag.indexOf('\0') < 0) return tag;
        StringBuilder sb = new StringBuilder(tag.length() + 8);
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            switch (c) {
                case '%' -> sb.append("%25");
                case '|' -> sb.append("%7C");
                case '\0' -> sb.append("%00");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
