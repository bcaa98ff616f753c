package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 20.4: a latency histogram on each hourly and daily rollup row (and an index for the custom ids of a key, below) ({@code io.bricksllm.events.LatencyHistogram}),
 * so report percentiles are read from the rollups instead of scanning the events. NULL means "not known": the rows
 * written before this migration; start-up rebuilds the periods whose events are still stored
 * ({@code EventRollups.rebuildIfMissing}), and merging anything into NULL keeps NULL, so a partly known histogram is
 * never taken for a whole one. A Java migration because PostgreSQL needs the merge function in SQL, while SQLite
 * cannot create functions in SQL (the gateway registers the same merge from Java on each SQLite connection).
 */
public final class V16__rollup_latency_histograms extends BaseJavaMigration {
    /** Sums two "bucket:count,…" lists by bucket, in bucket order; STRICT: NULL in, NULL out. */
    private static final String PG_MERGE = """
            CREATE FUNCTION latency_hist_merge(a TEXT, b TEXT) RETURNS TEXT
            LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE AS $$
              SELECT COALESCE(string_agg(bucket || ':' || n, ',' ORDER BY bucket), '')
              FROM (SELECT split_part(p, ':', 1)::int AS bucket, SUM(split_part(p, ':', 2)::bigint) AS n
                    FROM unnest(string_to_array(a || ',' || b, ',')) AS p WHERE p <> '' GROUP BY 1) t
            $$""";

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE event_rollups_hourly ADD COLUMN latency_hist TEXT");
            s.execute("ALTER TABLE event_rollups_daily ADD COLUMN latency_hist TEXT");
            if (postgres) s.execute(PG_MERGE);
            // GET /api/reporting/custom-ids?keyId=: read from this index alone instead of every event of the key (5 s
            // for a key with 10^5 events); partial, so events without a custom id (most) cost the writer nothing more
            s.execute("CREATE INDEX events_key_id_custom_id_idx ON events (key_id, custom_id) WHERE custom_id <> ''");
        }
    }
}
