package io.bricksllm.limits;

/**
 * How spend is summed from events in SQL, the same for the seeds and the retention archive: each event's cost rounded
 * to micro-dollars, then added as integers — exact and independent of the order the database adds rows in (a sum of
 * doubles rounded at the end is neither, and would move by a micro-dollar when old events go to the archive).
 */
public final class SpendSums {
    private SpendSums() {}

    /** A SQL expression over {@code events} rows: Σ round(cost_in_usd × 10^6), read with {@link java.sql.ResultSet#getLong}. */
    public static final String MICROS = "CAST(COALESCE(SUM(ROUND(cost_in_usd * 1000000)), 0) AS BIGINT)";
}
