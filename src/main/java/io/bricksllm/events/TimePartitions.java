package io.bricksllm.events;

import io.bricksllm.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL only (issue 20.3): the event tables partitioned by RANGE (created_at) into UTC days, plus a DEFAULT
 * partition so that a write never fails for want of a partition. Used by migration V15 (which turns the tables into
 * partitioned ones) and by {@link PartitionMaintainer}; a day is {@code <table>_pYYYYMMDD}, the default
 * {@code <table>_default}. created_at is epoch seconds (BIGINT), so a day is [d, d + 86400).
 */
public final class TimePartitions {
    /**
     * The tables partitioned by day when they exist: the events, and their bodies once they are kept apart (issue
     * 20.2, V14's {@code event_bodies}). Both have a BIGINT created_at.
     */
    public static final List<String> TABLES = List.of("events", "event_bodies");
    public static final long DAY = 86_400;

    private static final DateTimeFormatter NAME_DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final Pattern BOUND = Pattern.compile("FROM \\('?(-?\\d+|MINVALUE)'?\\) TO \\('?(-?\\d+|MAXVALUE)'?\\)");

    private TimePartitions() {}

    /** One partition of a table: [from, to) in epoch seconds; the default partition has neither. */
    public record Partition(String name, long from, long to, boolean isDefault) {
        /** True when every row it may hold is older than {@code cutoff} (created_at < cutoff). */
        public boolean wholeRangeBefore(long cutoff) {
            return !isDefault && to <= cutoff;
        }
    }

    /** The first second of the UTC day of {@code epochSecond}. */
    public static long dayOf(long epochSecond) {
        return Math.floorDiv(epochSecond, DAY) * DAY;
    }

    public static String partitionName(String table, long dayStart) {
        long epochDay = Math.floorDiv(dayStart, DAY);
        // a created_at outside years 1-9999 (never written by the gateway's clock) still gets a plain identifier
        if (epochDay < LocalDate.of(1, 1, 1).toEpochDay() || epochDay > LocalDate.of(9999, 12, 31).toEpochDay()) {
            return table + "_d" + (epochDay < 0 ? "m" + -epochDay : String.valueOf(epochDay));
        }
        return table + "_p" + LocalDate.ofEpochDay(epochDay).format(NAME_DAY);
    }

    public static String defaultName(String table) {
        return table + "_default";
    }

    /** 'p' partitioned, 'r' plain table, absent when the table does not exist (in the current schema). */
    public static String kind(Connection c, String table) throws SQLException {
        List<String> k = Database.query(c, "SELECT relkind::text FROM pg_class WHERE relname = ? "
                + "AND relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())", rs -> rs.getString(1), table);
        return k.isEmpty() ? "" : k.get(0);
    }

    public static boolean isPartitioned(Connection c, String table) throws SQLException {
        return kind(c, table).equals("p");
    }

    /** The partitions of a partitioned table, oldest first, the default last. */
    public static List<Partition> partitions(Connection c, String table) throws SQLException {
        List<Partition> out = new ArrayList<>();
        Partition dflt = null;
        for (String[] row : Database.query(c, "SELECT ch.relname, pg_get_expr(ch.relpartbound, ch.oid) FROM pg_inherits i "
                + "JOIN pg_class ch ON ch.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                + "WHERE p.relname = ? AND p.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, table)) {
            if (row[1].equals("DEFAULT")) {
                dflt = new Partition(row[0], Long.MIN_VALUE, Long.MAX_VALUE, true);
                continue;
            }
            Matcher m = BOUND.matcher(row[1]);
            if (!m.find()) throw new SQLException("unexpected partition bound of " + row[0] + ": " + row[1]);
            long from = m.group(1).equals("MINVALUE") ? Long.MIN_VALUE : Long.parseLong(m.group(1));
            long to = m.group(2).equals("MAXVALUE") ? Long.MAX_VALUE : Long.parseLong(m.group(2));
            out.add(new Partition(row[0], from, to, false));
        }
        out.sort(java.util.Comparator.comparingLong(Partition::from));
        if (dflt != null) out.add(dflt);
        return out;
    }

    /** The day partition of {@code dayStart} (when absent), on an empty range of the default partition. */
    public static void createDay(Connection c, String table, long dayStart) throws SQLException {
        Database.update(c, "CREATE TABLE IF NOT EXISTS " + partitionName(table, dayStart) + " PARTITION OF " + table
                + " FOR VALUES FROM (" + dayStart + ") TO (" + dayEnd(dayStart) + ")");
    }

    public static void createDefault(Connection c, String table) throws SQLException {
        Database.update(c, "CREATE TABLE IF NOT EXISTS " + defaultName(table) + " PARTITION OF " + table + " DEFAULT");
    }

    /** The end of a day range as SQL: MAXVALUE for the last day a BIGINT can start (no overflow). */
    static String dayEnd(long dayStart) {
        return dayStart > Long.MAX_VALUE - DAY ? "MAXVALUE" : String.valueOf(dayStart + DAY);
    }

    /** The start of each UTC day that has rows in {@code relation}: a table or a partition. */
    public static List<Long> daysWithRows(Connection c, String relation) throws SQLException {
        return Database.query(c, "SELECT DISTINCT created_at - mod(mod(created_at, " + DAY + ") + " + DAY + ", " + DAY + ") FROM "
                + relation + " ORDER BY 1", rs -> rs.getLong(1));
    }
}
