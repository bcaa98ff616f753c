package io.bricksllm.events;

import io.bricksllm.limits.SpendSums;
import io.bricksllm.store.Database;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Moves the spend of events about to be removed to {@code event_spend_archive} (V13), per key, team, and user id with
 * its key's tags: the spend seeds add the archive to what the events kept still sum, so lifetime spend and budgets
 * never change because old events went. Call it in the transaction that removes the rows, over exactly those rows
 * (a batch of ids, or a whole partition about to be dropped).
 */
final class SpendArchive {
    private SpendArchive() {}

    /** Archives the spend of the rows of {@code relation} (the events table or one of its partitions) matching {@code where}. */
    static void archive(Connection c, String relation, String where, Object... params) throws SQLException {
        archive(c, relation, "'key'", "key_id", "''", "key_id <> ''", where, params);
        archive(c, relation, "'team'", "team_id", "''", "team_id <> ''", where, params);
        archive(c, relation, "'user'", "user_id", "tags", "user_id <> ''", where, params);
    }

    private static void archive(Connection c, String relation, String kind, String owner, String tags, String present, String where,
                                Object[] params) throws SQLException {
        Database.update(c, "INSERT INTO event_spend_archive (owner_kind, owner, tags, cost_micros, events) SELECT " + kind + ", "
                + owner + ", " + tags + ", " + SpendSums.MICROS + ", COUNT(*) FROM " + relation + " WHERE " + present
                + (where.isEmpty() ? "" : " AND " + where) + " GROUP BY " + owner + (tags.equals("''") ? "" : ", " + tags)
                + " ON CONFLICT (owner_kind, owner, tags) DO UPDATE SET cost_micros = event_spend_archive.cost_micros + excluded.cost_micros,"
                + " events = event_spend_archive.events + excluded.events", params);
    }
}
