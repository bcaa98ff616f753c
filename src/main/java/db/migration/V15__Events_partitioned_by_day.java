package db.migration;

import io.bricksllm.events.TimePartitions;
import io.bricksllm.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 20.3: on PostgreSQL, the events (and their bodies, when V14 keeps them apart in {@code event_bodies}) become
 * tables partitioned by RANGE (created_at) in UTC days, so that retention drops whole partitions instead of deleting
 * rows (no DELETE bloat, no vacuum debt). On SQLite it does nothing: SQLite has no partitions and keeps its batched
 * deletes. A Java migration so that both databases keep one migration history.
 *
 * <p>Per table, in the migration's one transaction: the table is renamed aside, a partitioned table LIKE it is created
 * with a DEFAULT partition (a write never fails for want of a partition) and one partition per day that has rows plus
 * today and the next 7 days, the rows are copied, then the primary key — widened to (its columns, created_at), since a
 * unique key of a partitioned table must include the partition key — and every other index are built on the new table
 * (partitioned indexes: one per partition), with the names and definitions they had; the old table is dropped.
 * Indexes are built after the copy, which is several times faster than maintaining them row by row.
 */
public class V15__Events_partitioned_by_day extends BaseJavaMigration {
    private static final int DAYS_AHEAD = 7;

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")) return;
        // copying millions of rows takes longer than POSTGRESQL_READ_TIME_OUT, every connection's statement_timeout
        Database.update(c, "SET LOCAL statement_timeout = 0");
        for (String table : TimePartitions.TABLES) {
            if (TimePartitions.kind(c, table).equals("r")) partition(c, table);
        }
    }

    private static void partition(Connection c, String table) throws SQLException {
        String old = table + "_unpartitioned";
        Database.update(c, "LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        String oid = "'" + table + "'::regclass";
        List<String> pk = Database.query(c, "SELECT conname FROM pg_constraint WHERE conrelid = " + oid + " AND contype = 'p'", rs -> rs.getString(1));
        List<String> pkColumns = Database.query(c, "SELECT a.attname FROM pg_constraint con CROSS JOIN LATERAL unnest(con.conkey) "
                + "WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
                + "WHERE con.conrelid = " + oid + " AND con.contype = 'p' ORDER BY k.n", rs -> rs.getString(1));
        List<String[]> indexes = Database.query(c, "SELECT ic.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                + "JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = " + oid + " AND NOT i.indisprimary ORDER BY ic.relname",
                rs -> new String[] {rs.getString(1), rs.getString(2)});

        // the old table keeps the rows until they are copied; its key and indexes go now, freeing their names
        Database.update(c, "ALTER TABLE " + table + " RENAME TO " + old);
        for (String name : pk) Database.update(c, "ALTER TABLE " + old + " DROP CONSTRAINT " + name);
        for (String[] index : indexes) Database.update(c, "DROP INDEX " + index[0]);

        Database.update(c, "CREATE TABLE " + table + " (LIKE " + old + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE "
                + "INCLUDING COMMENTS) PARTITION BY RANGE (created_at)");
        TimePartitions.createDefault(c, table);
        TreeSet<Long> days = new TreeSet<>(TimePartitions.daysWithRows(c, old));
        long today = TimePartitions.dayOf(System.currentTimeMillis() / 1000);
        for (int i = 0; i <= DAYS_AHEAD; i++) days.add(today + i * TimePartitions.DAY);
        for (long day : days) TimePartitions.createDay(c, table, day);
        Database.update(c, "INSERT INTO " + table + " SELECT * FROM " + old);

        if (!pk.isEmpty()) {
            List<String> key = new java.util.ArrayList<>(pkColumns);
            if (!key.contains("created_at")) key.add("created_at");
            Database.update(c, "ALTER TABLE " + table + " ADD CONSTRAINT " + pk.get(0) + " PRIMARY KEY (" + String.join(", ", key) + ")");
        }
        // each definition names the table (schema-qualified) by its name, which is now the partitioned table's
        for (String[] index : indexes) Database.update(c, index[1]);
        Database.update(c, "DROP TABLE " + old);
    }
}
