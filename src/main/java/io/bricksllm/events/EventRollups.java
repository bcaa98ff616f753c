package io.bricksllm.events;

import io.bricksllm.events.EventSlice.Dimension;
import io.bricksllm.store.Database;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Hourly and daily totals of the events (issue 20.4), tables {@code event_rollups_hourly} and {@code event_rollups_daily}:
 * one row per hour (day), key, team, end user, model, provider and status class. {@link EventRepository#insert} adds the rows it actually inserted in the same
 * transaction, so the rollups always equal the sums over the events they cover; {@link #rebuild} recomputes them from
 * the events (after a restore, or the first start after the migration).
 *
 * <p>Exactness: counts, tokens and latency are integer sums. Cost is summed as integer pico-dollars, each event
 * contributing {@link #pico}(cost_in_usd) — exact and independent of summation order, unlike double sums; reports turn
 * the integer into dollars (correctly rounded) or micro-dollars (half up) only at the end. Both the incremental and the
 * rebuild path convert in Java with the same function, so they cannot disagree by dialect rounding rules.
 *
 * <p>Reads: a time range is answered from whole days of the daily table (when slots are whole days), whole hours of the
 * hourly table around them, and, for a range that does not start or end on an hour, the events of the partial
 * first/last hour (read and summed here by the same code), so any range is exact. The daily level keeps month-wide
 * reports to tens of thousands of rows at 10^7 events.
 * Blocking: call from worker threads.
 */
public final class EventRollups {
    public static final long HOUR = 3_600;
    public static final long DAY = 86_400;

    /** A rollup table and the length of its periods. */
    enum Level {
        DAY(EventRollups.DAY, "event_rollups_daily", "event_rollups_tag_daily"),
        HOUR(EventRollups.HOUR, "event_rollups_hourly", "event_rollups_tag_hourly");

        final long seconds;
        final String table;
        /** The same sums with one row per tag of the events (V20), for tag-filtered reports. */
        final String tagTable;

        Level(long seconds, String table, String tagTable) {
            this.seconds = seconds;
            this.table = table;
            this.tagTable = tagTable;
        }

        String table(boolean tagged) {
            return tagged ? tagTable : table;
        }

        long floor(long t) {
            return Math.floorDiv(t, seconds) * seconds;
        }

        /** The first period start at or after t (Long.MAX_VALUE when there is none). */
        long ceil(long t) {
            long f = floor(t);
            return f == t ? t : f > Long.MAX_VALUE - seconds ? Long.MAX_VALUE : f + seconds;
        }
    }

    /** Costs beyond ±$1M for one request are clamped, so one absurd event cannot overflow an hour's sum. */
    private static final double MAX_USD = 1e6;
    /** Rebuild: groups held in memory before they are written (sums add up in the table, so flushing is safe). */
    private static final int FLUSH_GROUPS = 20_000;
    private static final int FETCH_SIZE = 5_000;
    /** Cost sums are read as two partial sums (high and low bits) so a large total cannot overflow SQLite's SUM. */
    private static final int LOW_BITS = 20;

    private static final String DIMS = "period_start, key_id, team_id, user_id, model, provider, status_class";
    /** The tag tables' key: tag first, so a tag's rows over a range are one range of the primary key. */
    private static final String TAG_DIMS = "tag, " + DIMS;
    private static final String[] MEASURES = {"requests", "successes", "errors", "prompt_tokens", "completion_tokens",
            "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "latency_ms", "cost_pico"};
    static final String EVENT_COLUMNS = "created_at, key_id, team_id, user_id, model, provider, status_code, action, "
            + "cost_in_usd, prompt_token_count, completion_token_count, cache_read_token_count, cache_write_token_count, "
            + "reasoning_token_count, latency_in_ms";

    /** One event as stored (the values {@link EventRepository} writes), the part the rollups use. */
    record Row(long createdAt, String keyId, String teamId, String userId, String model, String provider, int status,
               String action, double cost, long prompt, long completion, long cacheRead, long cacheWrite, long reasoning,
               long latency) {

        /** The stored form of an event: cut, clamped and cleaned as {@link EventRepository} stores it. */
        static Row of(Event e) {
            return new Row(e.createdAt(), EventRepository.clean(e.keyId(), 255), EventRepository.clean(e.teamId(), 255),
                    EventRepository.clean(e.userId(), 255), EventRepository.clean(e.model(), 255),
                    EventRepository.clean(e.provider(), 255), e.status(), EventRepository.clean(e.action(), 32),
                    Double.isFinite(e.costInUsd()) ? e.costInUsd() : 0.0, clampInt(e.promptTokenCount()),
                    clampInt(e.completionTokenCount()), Math.max(0, e.cacheReadTokenCount()),
                    Math.max(0, e.cacheWriteTokenCount()), Math.max(0, e.reasoningTokenCount()), clampInt(e.latencyInMs()));
        }

        static Row read(ResultSet rs) throws SQLException {
            return new Row(rs.getLong(1), nz(rs.getString(2)), nz(rs.getString(3)), nz(rs.getString(4)),
                    nz(rs.getString(5)), nz(rs.getString(6)), rs.getInt(7), nz(rs.getString(8)), rs.getDouble(9),
                    rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15));
        }

        Group group() {
            return new Group(Level.HOUR.floor(createdAt), keyId, teamId, userId, model, provider, statusClass(status));
        }
    }

    /** The key of a rollup row, ordered so concurrent PostgreSQL writers lock rows in the same order. */
    sealed interface RollupKey<K extends RollupKey<K>> extends Comparable<K> permits Group, TagGroup {
        /** The same key on its day's row. */
        K onDay();

        /** Binds the key's columns from parameter {@code at} on (in its table's dimension order); the next parameter. */
        int bind(PreparedStatement ps, int at) throws SQLException;
    }

    /** The dimensions of one rollup row. */
    record Group(long periodStart, String keyId, String teamId, String userId, String model, String provider,
                 int statusClass) implements RollupKey<Group> {
        private static final Comparator<Group> ORDER = Comparator.comparingLong(Group::periodStart)
                .thenComparing(Group::keyId).thenComparing(Group::teamId).thenComparing(Group::userId)
                .thenComparing(Group::model).thenComparing(Group::provider).thenComparingInt(Group::statusClass);

        @Override
        public int compareTo(Group o) {
            return ORDER.compare(this, o);
        }

        @Override
        public Group onDay() {
            return new Group(Level.DAY.floor(periodStart), keyId, teamId, userId, model, provider, statusClass);
        }

        @Override
        public int bind(PreparedStatement ps, int at) throws SQLException {
            ps.setLong(at, periodStart);
            ps.setString(at + 1, keyId);
            ps.setString(at + 2, teamId);
            ps.setString(at + 3, userId);
            ps.setString(at + 4, model);
            ps.setString(at + 5, provider);
            ps.setInt(at + 6, statusClass);
            return at + 7;
        }
    }

    /**
     * A group of the tag tables: one stored tag (in its {@link EventRepository#encodeTag encoded} form, as tag_index
     * holds it) and the dimensions of an hourly group.
     */
    record TagGroup(String tag, Group group) implements RollupKey<TagGroup> {
        @Override
        public int compareTo(TagGroup o) {
            int c = Long.compare(group.periodStart(), o.group.periodStart());
            if (c == 0) c = tag.compareTo(o.tag);
            return c == 0 ? group.compareTo(o.group) : c;
        }

        @Override
        public TagGroup onDay() {
            return new TagGroup(tag, group.onDay());
        }

        @Override
        public int bind(PreparedStatement ps, int at) throws SQLException {
            ps.setString(at, tag);
            return group.bind(ps, at + 1);
        }
    }

    /** The distinct encoded tags of a tag_index {@code |t1|t2|} (none for "|" or null). */
    static List<String> tagsOf(String tagIndex) {
        if (tagIndex == null || tagIndex.length() < 2) return List.of();
        String inner = tagIndex.substring(1, tagIndex.length() - 1);
        List<String> out = new ArrayList<>();
        for (String t : inner.split("\\|", -1)) if (!out.contains(t)) out.add(t);
        return out;
    }

    /** The measures of a set of events; the order of {@link #values} is that of {@link #MEASURES}. */
    static final class Sums {
        long requests, successes, errors, prompt, completion, cacheRead, cacheWrite, reasoning, latency, costPico;
        /** Kept by the writer and the rebuild (column latency_hist); empty on the read path, which sums in SQL. */
        final LatencyHistogram latencies = new LatencyHistogram();

        void add(Row r) {
            requests++;
            latencies.add(r.latency());
            if (r.status() == 200) successes++;
            if (r.status() >= 400 || "blocked".equals(r.action())) errors++;
            prompt += r.prompt();
            completion += r.completion();
            cacheRead += r.cacheRead();
            cacheWrite += r.cacheWrite();
            reasoning += r.reasoning();
            latency += r.latency();
            costPico += pico(r.cost());
        }

        void add(Sums s) {
            requests += s.requests;
            successes += s.successes;
            errors += s.errors;
            prompt += s.prompt;
            completion += s.completion;
            cacheRead += s.cacheRead;
            cacheWrite += s.cacheWrite;
            reasoning += s.reasoning;
            latency += s.latency;
            costPico += s.costPico;
            latencies.add(s.latencies);
        }

        long[] values() {
            return new long[] {requests, successes, errors, prompt, completion, cacheRead, cacheWrite, reasoning, latency, costPico};
        }
    }

    /** What {@link #rebuild} did: events read and hourly rollup rows written. */
    public record Rebuilt(long events, long rollupRows) {}

    /** The events a rollup read covers: {@code start <= created_at < end} and the dimension filters (empty = any). */
    public record Scope(long start, long end, List<String> keyIds, List<String> userIds, List<String> teamIds, String tag) {
        public Scope {
            keyIds = keyIds == null ? List.of() : List.copyOf(keyIds);
            userIds = userIds == null ? List.of() : List.copyOf(userIds);
            teamIds = teamIds == null ? List.of() : List.copyOf(teamIds);
        }

        public Scope(long start, long end, List<String> keyIds, List<String> userIds, List<String> teamIds) {
            this(start, end, keyIds, userIds, teamIds, null);
        }

        /** The same scope, restricted to the events that carry this tag (null: any events); read from the tag tables. */
        public Scope withTag(String tag) {
            return new Scope(start, end, keyIds, userIds, teamIds, tag);
        }

        boolean tagged() {
            return tag != null;
        }
    }

    private final Database db;
    /** The SQLite connections latency_hist_merge is registered on (weak: the pool may replace connections). */
    private final Set<Object> mergeRegistered = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    public EventRollups(Database db) {
        this.db = db;
    }

    /** An event's cost in integer pico-dollars: the unit every rollup sum and exactness check uses. */
    public static long pico(double costInUsd) {
        if (!Double.isFinite(costInUsd)) return 0;
        return Math.round(Math.max(-MAX_USD, Math.min(MAX_USD, costInUsd)) * 1e12);
    }

    /** Dollars nearest to an integer pico-dollar amount. */
    public static double usd(BigInteger pico) {
        return new BigDecimal(pico, 12).doubleValue();
    }

    /** Micro-dollars, half up, of an integer pico-dollar amount. */
    public static long micros(BigInteger pico) {
        BigInteger[] qr = pico.add(BigInteger.valueOf(500_000)).divideAndRemainder(BigInteger.valueOf(1_000_000));
        return (qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0]).longValueExact(); // floor, not toward zero
    }

    /** 2 for 2xx ... 5 for 5xx; 0 when no HTTP status was recorded (or it is out of range). */
    static int statusClass(int status) {
        return status >= 100 && status <= 599 ? status / 100 : 0;
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    /** Adds these stored events to the rollups, on the caller's connection (inside its transaction). */
    void add(Connection c, Collection<Event> inserted) throws SQLException {
        if (inserted.isEmpty()) return;
        // summed in a hash map, then sorted once: a batch has few groups, and a tree map compared seven fields per
        // event to find its group
        Map<Group, Sums> hours = new java.util.HashMap<>();
        Map<TagGroup, Sums> tagHours = new java.util.HashMap<>();
        // the encoded, distinct tags of each tag list, made once per list: a batch carries the tags of a few keys
        Map<List<String>, List<String>> encoded = new java.util.HashMap<>();
        for (Event e : inserted) {
            Row r = Row.of(e);
            Sums s = hours.computeIfAbsent(r.group(), g -> new Sums());
            s.add(r);
            if (e.tags() == null || e.tags().isEmpty()) continue;
            List<String> tags = encoded.computeIfAbsent(e.tags(), l -> tagsOf(EventRepository.tagIndex(l)));
            for (String t : tags) tagHours.computeIfAbsent(new TagGroup(t, r.group()), g -> new Sums()).add(r);
        }
        write(c, new TreeMap<>(hours), false);
        write(c, new TreeMap<>(tagHours), true);
    }

    /**
     * Writes hourly groups to the hourly table and, summed by day, to the daily one (always in that order): the plain
     * tables, or with {@code tags} the tag tables.
     */
    private <K extends RollupKey<K>> void write(Connection c, Map<K, Sums> hours, boolean tags) throws SQLException {
        if (hours.isEmpty()) return;
        TreeMap<K, Sums> days = new TreeMap<>();
        hours.forEach((g, s) -> days.computeIfAbsent(g.onDay(), d -> new Sums()).add(s));
        write(c, Level.HOUR, tags, hours);
        write(c, Level.DAY, tags, days);
    }

    private <K extends RollupKey<K>> void write(Connection c, Level level, boolean tags, Map<K, Sums> groups) throws SQLException {
        registerMerge(c);
        String sql = tags ? upsertSql(level.tagTable, TAG_DIMS, 8) : upsertSql(level.table, DIMS, 7);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Map.Entry<K, Sums> g : groups.entrySet()) {
                int at = g.getKey().bind(ps, 1);
                long[] v = g.getValue().values();
                for (int i = 0; i < v.length; i++) ps.setLong(at + i, v[i]);
                ps.setString(at + v.length, g.getValue().latencies.encode());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Recomputes every rollup from the events, in one transaction. On PostgreSQL the table is locked first: a
     * concurrent batch either committed before (its events are read here) or waits to add its rows after (its
     * events, not yet committed, are not read here), so nothing is counted twice or lost. On SQLite the single
     * writer lock does the same. Once retention has removed events (its archive is not empty), only the days from the
     * first whole day of the events kept are recomputed: the rollups of older periods summarise events that are gone,
     * and outlive them.
     */
    public Rebuilt rebuild() {
        return db.write(c -> {
            long from = rebuildFrom(c);
            // the order in which batches write them
            for (String table : List.of(Level.HOUR.table, Level.DAY.table, Level.HOUR.tagTable, Level.DAY.tagTable)) {
                if (db.dialect() == Database.Dialect.POSTGRES) {
                    Database.update(c, "LOCK TABLE " + table + " IN EXCLUSIVE MODE");
                }
                Database.update(c, "DELETE FROM " + table + " WHERE period_start >= ?", from);
            }
            long events = 0;
            Map<Group, Sums> groups = new TreeMap<>();
            Map<TagGroup, Sums> tagGroups = new TreeMap<>();
            Map<String, List<String>> tagLists = new java.util.HashMap<>(); // few distinct tag sets: split each once
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS + ", tag_index FROM events WHERE created_at >= ?")) {
                ps.setLong(1, from);
                ps.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Row r = Row.read(rs);
                        Group g = r.group();
                        groups.computeIfAbsent(g, k -> new Sums()).add(r);
                        String index = rs.getString(16);
                        if (index != null && index.length() > 1) {
                            List<String> tags = tagLists.size() < 100_000
                                    ? tagLists.computeIfAbsent(index, EventRollups::tagsOf) : tagsOf(index);
                            for (String t : tags) tagGroups.computeIfAbsent(new TagGroup(t, g), k -> new Sums()).add(r);
                        }
                        events++;
                        if (groups.size() >= FLUSH_GROUPS || tagGroups.size() >= FLUSH_GROUPS) {
                            write(c, groups, false);
                            write(c, tagGroups, true);
                            groups.clear();
                            tagGroups.clear();
                        }
                    }
                }
            }
            write(c, groups, false);
            write(c, tagGroups, true);
            long rows = Database.query(c, "SELECT COUNT(*) FROM " + Level.HOUR.table, rs -> rs.getLong(1)).get(0);
            return new Rebuilt(events, rows);
        });
    }

    /**
     * Where a rebuild starts: the beginning of time, unless retention removed events — then the first day all of whose
     * events are still stored (the day after the oldest event kept, which retention may have cut into).
     */
    private static long rebuildFrom(java.sql.Connection c) throws java.sql.SQLException {
        boolean removed = !Database.query(c, "SELECT 1 FROM event_spend_archive LIMIT 1", rs -> 1).isEmpty();
        if (!removed) return Long.MIN_VALUE;
        List<Long> oldest = Database.query(c, "SELECT MIN(created_at) FROM events", rs -> rs.getObject(1) == null ? null : rs.getLong(1));
        if (oldest.isEmpty() || oldest.get(0) == null) return Long.MAX_VALUE; // every event is gone: nothing to recompute
        return Level.DAY.floor(oldest.get(0)) + DAY;
    }

    /**
     * Rebuilds when there are events but no rollups: the first start after the migration added the table, or a
     * database restored without them. Returns what was done, empty when nothing was needed.
     */
    public Optional<Rebuilt> rebuildIfMissing() {
        boolean present = !db.query("SELECT 1 FROM " + Level.HOUR.table + " LIMIT 1", rs -> 1).isEmpty()
                && !db.query("SELECT 1 FROM " + Level.DAY.table + " LIMIT 1", rs -> 1).isEmpty();
        if (present && !histogramsMissing() && !tagRollupsMissing()) return Optional.empty();
        if (db.query("SELECT 1 FROM events LIMIT 1", rs -> 1).isEmpty()) return Optional.empty();
        return Optional.of(rebuild());
    }

    /**
     * Whether the tag tables are empty while an event a rebuild would read carries tags (the first start after V20).
     * When no stored event has tags this reads every event once per start (a few seconds at 10^7, and only then).
     */
    private boolean tagRollupsMissing() {
        if (!db.query("SELECT 1 FROM " + Level.DAY.tagTable + " LIMIT 1", rs -> 1).isEmpty()) return false;
        return db.withConnection(c -> !Database.query(c,
                "SELECT 1 FROM events WHERE created_at >= ? AND tag_index <> '|' LIMIT 1", rs -> 1, rebuildFrom(c)).isEmpty());
    }

    /**
     * Whether rows that a rebuild would recompute lack their latency histogram (written before V16): read from the
     * daily table, which has a row for every day with rollups and is small.
     */
    private boolean histogramsMissing() {
        return db.withConnection(c -> {
            long from = rebuildFrom(c);
            return !Database.query(c, "SELECT 1 FROM " + Level.DAY.table + " WHERE latency_hist IS NULL AND period_start >= ? LIMIT 1",
                    rs -> 1, from).isEmpty();
        });
    }

    // ---- reads -------------------------------------------------------------------------------------------------

    /**
     * The end-user ids a key's events carried, from the daily rollups (a key's few hundred rows, instead of all its
     * events): also those of events that retention has since removed, as the key's spend keeps them.
     */
    public List<String> userIds(String keyId) {
        return db.query("SELECT DISTINCT user_id FROM " + Level.DAY.table + " WHERE key_id = ? AND user_id <> '' ORDER BY user_id",
                rs -> rs.getString(1), EventRepository.clean(keyId, Integer.MAX_VALUE));
    }

    /** Total cost of a key over all its events, in pico-dollars. */
    public BigInteger keyCostPico(String keyId) {
        return totalCost("key_id", keyId);
    }

    /** Total cost of the events recorded for a team (the key's team at request time), in pico-dollars. */
    public BigInteger teamCostPico(String teamId) {
        return totalCost("team_id", teamId);
    }

    /** From the daily table: every event is in exactly one day, and a day holds up to 24 times fewer rows. */
    private BigInteger totalCost(String column, String value) {
        return db.query("SELECT SUM(cost_pico >> " + LOW_BITS + "), SUM(cost_pico & " + ((1 << LOW_BITS) - 1) + ") FROM "
                + Level.DAY.table + " WHERE " + column + " = ?", rs -> split(rs, 1), EventRepository.clean(value, Integer.MAX_VALUE)).get(0);
    }

    /**
     * Totals per time slot and group, as {@link EventRepository#aggregate} computes them from the events (slot =
     * (created_at - origin) / width), for {@code origin} and {@code width} on whole hours and groups of model, key and
     * user. Ordered by slot, then by the group values.
     */
    public List<EventSlice> aggregate(Scope scope, long origin, long width, List<Dimension> groupBy) {
        if (!answers(origin, width, groupBy)) {
            throw new IllegalArgumentException("rollups answer hour-aligned slots grouped by model, key or user only");
        }
        List<Dimension> dims = groupBy.stream().distinct().toList();
        TreeMap<SliceKey, Sums> out = new TreeMap<>();
        // days only when every slot edge is a day edge, so a day never straddles two slots
        boolean days = Math.floorMod(origin, DAY) == 0 && width % DAY == 0;
        cover(scope, scope.start(), scope.end(), days ? Level.DAY : Level.HOUR, origin, width, dims, out);
        List<EventSlice> slices = new ArrayList<>(out.size());
        out.forEach((k, s) -> {
            Map<Dimension, String> group = new EnumMap<>(Dimension.class);
            for (int i = 0; i < dims.size(); i++) group.put(dims.get(i), k.values().get(i));
            slices.add(new EventSlice(k.slot(), group, s.requests, usd(BigInteger.valueOf(s.costPico)), s.latency, s.prompt,
                    s.completion, s.successes, s.cacheRead, s.cacheWrite, s.reasoning));
        });
        return slices;
    }

    /**
     * Sums [from, to): the whole periods of {@code level} inside it from its table, the parts before and after them
     * from the next finer level, and below hours from the events.
     */
    private void cover(Scope scope, long from, long to, Level level, long origin, long width, List<Dimension> dims,
                       Map<SliceKey, Sums> out) {
        if (from >= to) return;
        if (level == null) {
            fromEvents(scope, from, to, origin, width, dims, out);
            return;
        }
        Level finer = level == Level.DAY ? Level.HOUR : null;
        long first = level.ceil(from);
        long end = level.floor(to);
        if (first >= end) {
            cover(scope, from, to, finer, origin, width, dims, out);
            return;
        }
        fromRollups(level, scope, first, end, origin, width, dims, out);
        cover(scope, from, first, finer, origin, width, dims, out);
        cover(scope, end, to, finer, origin, width, dims, out);
    }

    /**
     * The latency percentiles ({@link LatencyHistogram#percentile}) of the events in the scope, from the merged
     * histograms of the rollup rows covering it (whole days, whole hours, and the events of partial hours at its edges,
     * as {@link #aggregate} reads sums): within 1/64 of the exact percentile — exact when the range holds no whole hour
     * (only events are read then). Empty when a row it needs has no histogram (kept from before V16 for a period whose
     * events retention removed): the caller then reads the events.
     */
    public Optional<double[]> latencyPercentiles(Scope scope, double... fractions) {
        Latencies l = new Latencies();
        if (!coverLatencies(scope, scope.start(), scope.end(), Level.DAY, l)) return Optional.empty();
        double[] out = new double[fractions.length];
        if (!l.rollupRows) { // events only: the exact values
            List<long[]> counts = new ArrayList<>();
            l.exact.forEach((v, n) -> counts.add(new long[] {v, n}));
            for (int i = 0; i < fractions.length; i++) out[i] = EventRepository.percentile(counts, fractions[i]);
            return Optional.of(out);
        }
        l.exact.forEach((v, n) -> l.histogram.add(LatencyHistogram.bucket(v), n));
        for (int i = 0; i < fractions.length; i++) out[i] = l.histogram.percentile(fractions[i]);
        return Optional.of(out);
    }

    /** What {@link #coverLatencies} collects: histograms of rollup rows, and the latencies of events read directly. */
    private static final class Latencies {
        final LatencyHistogram histogram = new LatencyHistogram();
        final TreeMap<Long, Long> exact = new TreeMap<>();
        boolean rollupRows;
    }

    /** As {@link #cover}, adding histograms; false when a rollup row lacks one. */
    private boolean coverLatencies(Scope scope, long from, long to, Level level, Latencies out) {
        if (from >= to) return true;
        if (level == null) {
            StringBuilder sql = new StringBuilder("SELECT latency_in_ms, COUNT(*) FROM events WHERE created_at >= ? AND created_at < ?");
            List<Object> params = new ArrayList<>(List.of(from, to));
            dimensionFilters(scope, sql, params, true, db.dialect());
            sql.append(" GROUP BY latency_in_ms");
            db.query(sql.toString(), rs -> out.exact.merge(rs.getLong(1), rs.getLong(2), Long::sum), params.toArray());
            return true;
        }
        Level finer = level == Level.DAY ? Level.HOUR : null;
        long first = level.ceil(from);
        long end = level.floor(to);
        if (first >= end) return coverLatencies(scope, from, to, finer, out);
        StringBuilder sql = new StringBuilder("SELECT latency_hist FROM ").append(level.table(scope.tagged()))
                .append(" WHERE period_start >= ? AND period_start < ?");
        List<Object> params = new ArrayList<>(List.of(first, end));
        dimensionFilters(scope, sql, params, false, db.dialect());
        boolean[] complete = {true};
        out.rollupRows = true;
        db.query(sql.toString(), rs -> {
            String encoded = rs.getString(1);
            if (encoded == null) complete[0] = false;
            else out.histogram.addEncoded(encoded);
            return null;
        }, params.toArray());
        return complete[0] && coverLatencies(scope, from, first, finer, out) && coverLatencies(scope, end, to, finer, out);
    }

    /** Whether {@link #aggregate} can answer: slot edges on whole hours and no group the rollups do not hold. */
    public static boolean answers(long origin, long width, List<Dimension> groupBy) {
        return Math.floorMod(origin, HOUR) == 0 && width > 0 && width % HOUR == 0 && !groupBy.contains(Dimension.CUSTOM_ID);
    }

    /** Spend per key id with events in the scope's range (unauthenticated events excluded), in dollars. */
    public Map<String, Double> costByKey(long start, long end) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (EventSlice s : aggregate(new Scope(start, end, null, null, null), 0, Long.MAX_VALUE / DAY * DAY,
                List.of(Dimension.KEY_ID))) {
            String key = s.value(Dimension.KEY_ID);
            if (!key.isEmpty()) out.merge(key, s.costInUsd(), Double::sum);
        }
        return out;
    }

    /** One day's totals of one key, team, model and provider (users and status classes summed). */
    public record DayGroup(long day, String keyId, String teamId, String model, String provider, long requests,
                           long errors, BigInteger costPico) {}

    /**
     * The daily rollups of the days starting in {@code [fromDay, toDay)}, for the console's overview (issue 21): a
     * month of them is a few rows per key and model, whatever the number of events.
     */
    public List<DayGroup> dayGroups(long fromDay, long toDay) {
        return db.query("SELECT period_start, key_id, team_id, model, provider, SUM(requests), SUM(errors), SUM(cost_pico >> "
                + LOW_BITS + "), SUM(cost_pico & " + ((1 << LOW_BITS) - 1) + ") FROM " + Level.DAY.table
                + " WHERE period_start >= ? AND period_start < ? GROUP BY period_start, key_id, team_id, model, provider",
                rs -> new DayGroup(rs.getLong(1), nz(rs.getString(2)), nz(rs.getString(3)), nz(rs.getString(4)),
                        nz(rs.getString(5)), rs.getLong(6), rs.getLong(7), split(rs, 8)), fromDay, toDay);
    }

    private record SliceKey(long slot, List<String> values) implements Comparable<SliceKey> {
        @Override
        public int compareTo(SliceKey o) {
            int c = Long.compare(slot, o.slot);
            for (int i = 0; c == 0 && i < values.size(); i++) c = values.get(i).compareTo(o.values.get(i));
            return c;
        }
    }

    private void fromRollups(Level level, Scope scope, long fromPeriod, long toPeriod, long origin, long width, List<Dimension> dims,
                             Map<SliceKey, Sums> out) {
        StringBuilder sql = new StringBuilder("SELECT (period_start - ?) / ?");
        StringBuilder positions = new StringBuilder("1");
        for (int i = 0; i < dims.size(); i++) {
            sql.append(", ").append(dims.get(i).column());
            positions.append(", ").append(i + 2);
        }
        sql.append(", SUM(requests), SUM(successes), SUM(prompt_tokens), SUM(completion_tokens), SUM(cache_read_tokens), "
                + "SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(latency_ms), SUM(cost_pico >> ").append(LOW_BITS)
                .append("), SUM(cost_pico & ").append((1 << LOW_BITS) - 1).append(") FROM ").append(level.table(scope.tagged()))
                .append(" WHERE period_start >= ? AND period_start < ?");
        List<Object> params = new ArrayList<>(List.of(origin, width, fromPeriod, toPeriod));
        dimensionFilters(scope, sql, params, false, db.dialect());
        sql.append(" GROUP BY ").append(positions);
        db.query(sql.toString(), rs -> {
            List<String> values = new ArrayList<>(dims.size());
            for (int i = 0; i < dims.size(); i++) values.add(nz(rs.getString(i + 2)));
            int col = dims.size() + 2;
            Sums s = new Sums();
            s.requests = rs.getLong(col);
            s.successes = rs.getLong(col + 1);
            s.prompt = rs.getLong(col + 2);
            s.completion = rs.getLong(col + 3);
            s.cacheRead = rs.getLong(col + 4);
            s.cacheWrite = rs.getLong(col + 5);
            s.reasoning = rs.getLong(col + 6);
            s.latency = rs.getLong(col + 7);
            s.costPico = split(rs, col + 8).longValueExact();
            out.computeIfAbsent(new SliceKey(rs.getLong(1), values), k -> new Sums()).add(s);
            return null;
        }, params.toArray());
    }

    /** The events of a partial hour at either end of a range, summed as the rollups sum them. */
    private void fromEvents(Scope scope, long from, long to, long origin, long width, List<Dimension> dims,
                            Map<SliceKey, Sums> out) {
        if (from >= to) return;
        StringBuilder sql = new StringBuilder("SELECT ").append(EVENT_COLUMNS)
                .append(" FROM events WHERE created_at >= ? AND created_at < ?");
        List<Object> params = new ArrayList<>(List.of(from, to));
        dimensionFilters(scope, sql, params, true, db.dialect());
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Database.bind(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Row r = Row.read(rs);
                        List<String> values = new ArrayList<>(dims.size());
                        for (Dimension d : dims) {
                            values.add(switch (d) {
                                case MODEL -> r.model();
                                case KEY_ID -> r.keyId();
                                case USER_ID -> r.userId();
                                case CUSTOM_ID -> throw new IllegalStateException("not a rollup dimension");
                            });
                        }
                        out.computeIfAbsent(new SliceKey((r.createdAt() - origin) / width, values), k -> new Sums()).add(r);
                    }
                }
            }
            return null;
        });
    }

    /**
     * key/user/team membership tests and the tag; on events, the '<> ""' term lets the planner use the partial indexes
     * (V5), and the tag is the substring test {@link EventRepository} filters with, on the tag tables an equality.
     */
    private static void dimensionFilters(Scope scope, StringBuilder sql, List<Object> params, boolean events,
                                         Database.Dialect dialect) {
        if (scope.tagged()) {
            String tag = EventRepository.encodeTag(scope.tag());
            if (events) {
                sql.append(dialect == Database.Dialect.POSTGRES ? " AND strpos(tag_index, ?) > 0" : " AND instr(tag_index, ?) > 0");
                params.add("|" + tag + "|");
            } else {
                sql.append(" AND tag = ?");
                params.add(tag);
            }
        }
        in(sql, params, "key_id", scope.keyIds(), false);
        in(sql, params, "user_id", scope.userIds(), events);
        in(sql, params, "team_id", scope.teamIds(), events);
    }

    private static void in(StringBuilder sql, List<Object> params, String column, List<String> values, boolean partialIndex) {
        if (values.isEmpty()) return;
        sql.append(" AND ").append(column).append(" IN (");
        boolean anyEmpty = false;
        for (int i = 0; i < values.size(); i++) {
            String v = EventRepository.clean(values.get(i), Integer.MAX_VALUE);
            anyEmpty |= v.isEmpty();
            sql.append(i == 0 ? "?" : ", ?");
            params.add(v);
        }
        sql.append(')');
        if (partialIndex && !anyEmpty) sql.append(" AND ").append(column).append(" <> ''");
    }

    private static BigInteger split(ResultSet rs, int col) throws SQLException {
        String high = rs.getString(col);
        String low = rs.getString(col + 1);
        if (high == null) return BigInteger.ZERO;
        return new BigInteger(high).shiftLeft(LOW_BITS).add(new BigInteger(low));
    }

    private static String upsertSql(String table, String dims, int dimCount) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(table).append(" (").append(dims);
        for (String m : MEASURES) sb.append(", ").append(m);
        sb.append(", latency_hist) VALUES (").append("?, ".repeat(dimCount + MEASURES.length)).append("?) ON CONFLICT (").append(dims)
                .append(") DO UPDATE SET ");
        for (int i = 0; i < MEASURES.length; i++) {
            String m = MEASURES[i];
            sb.append(i == 0 ? "" : ", ").append(m).append(" = ").append(table).append('.').append(m).append(" + excluded.").append(m);
        }
        sb.append(", latency_hist = latency_hist_merge(").append(table).append(".latency_hist, excluded.latency_hist)");
        return sb.toString();
    }

    /**
     * SQLite has no latency_hist_merge of its own (PostgreSQL's is created by V16): registers {@link LatencyHistogram#merge}
     * once per physical connection, with the same NULL-in, NULL-out rule.
     */
    private static final int SQLITE_NULL = 5; // sqlite3_value_type of NULL

    private void registerMerge(Connection c) throws SQLException {
        if (db.dialect() != Database.Dialect.SQLITE) return;
        SQLiteConnection sqlite = c.unwrap(SQLiteConnection.class);
        if (mergeRegistered.contains(sqlite)) return;
        Function.create(sqlite, "latency_hist_merge", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String a = value_type(0) == SQLITE_NULL ? null : value_text(0);
                String b = value_type(1) == SQLITE_NULL ? null : value_text(1);
                if (a == null || b == null) result();
                else result(LatencyHistogram.merge(a, b));
            }
        }, 2, Function.FLAG_DETERMINISTIC);
        mergeRegistered.add(sqlite);
    }

    private static long clampInt(long v) {
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
