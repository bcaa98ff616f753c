package io.bricksllm.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Rows of the {@code teams} table, plus who still names a team ({@code keys.team_id}, {@code users.team_id}). */
public final class TeamRepository {
    private static final String COLUMNS = "id, name, tags, created_at, updated_at, cost_limit_in_usd, cost_limit_in_usd_over_time,"
            + " cost_limit_in_usd_unit, rate_limit_over_time, rate_limit_unit, token_limit_over_time, token_limit_unit,"
            + " max_concurrent_requests, allowed_models, allowed_providers";

    /** How many keys and end users still name a team. */
    public record Members(int keys, int users) {
        public boolean none() {
            return keys == 0 && users == 0;
        }
    }

    /** The outcome of a guarded delete: {@code deleted}, or refused because of {@code members}, or the team was absent. */
    public record Deletion(boolean found, Members members) {
        public boolean deleted() {
            return found && members.none();
        }
    }

    private final Database db;

    public TeamRepository(Database db) {
        this.db = db;
    }

    public void insert(Team t) {
        db.update("INSERT INTO teams (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", params(t));
    }

    /** Overwrites every column but id and created_at; false when the team does not exist. */
    public boolean update(Team t) {
        Object[] p = params(t);
        return db.update("UPDATE teams SET name=?, tags=?, updated_at=?, cost_limit_in_usd=?, cost_limit_in_usd_over_time=?,"
                        + " cost_limit_in_usd_unit=?, rate_limit_over_time=?, rate_limit_unit=?, token_limit_over_time=?,"
                        + " token_limit_unit=?, max_concurrent_requests=?, allowed_models=?, allowed_providers=? WHERE id=?",
                p[1], p[2], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], t.id()) > 0;
    }

    public Optional<Team> findById(String id) {
        return db.query("SELECT " + COLUMNS + " FROM teams WHERE id=?", TeamRepository::map, id).stream().findFirst();
    }

    public List<Team> findAll() {
        return db.query("SELECT " + COLUMNS + " FROM teams ORDER BY created_at, id", TeamRepository::map);
    }

    /**
     * Deletes the team unless a key or end user still names it; the count and the delete are one write transaction.
     * Known gap: the key and user admin check that a named team exists before their own write, not in the same
     * transaction, so a key attached at the very moment its team is deleted can keep the id of a team that is gone
     * (it then names no stored team; a later PATCH fixes it).
     */
    public Deletion deleteUnlessMembers(String id) {
        return db.write(c -> {
            List<Integer> found = Database.query(c, "SELECT 1 FROM teams WHERE id=?" + db.forUpdate(), rs -> 1, id);
            if (found.isEmpty()) return new Deletion(false, new Members(0, 0));
            int keys = Database.query(c, "SELECT COUNT(*) FROM keys WHERE team_id=?", rs -> rs.getInt(1), id).get(0);
            int users = Database.query(c, "SELECT COUNT(*) FROM users WHERE team_id=?", rs -> rs.getInt(1), id).get(0);
            Members m = new Members(keys, users);
            if (m.none()) Database.update(c, "DELETE FROM teams WHERE id=?", id);
            return new Deletion(true, m);
        });
    }

    private static Object[] params(Team t) {
        return new Object[] {t.id(), t.name(), Json.write(t.tags()), t.createdAt(), t.updatedAt(), t.costLimitInUsd(),
                t.costLimitInUsdOverTime(), t.costLimitInUsdUnit(), t.rateLimitOverTime(), t.rateLimitUnit(),
                t.tokenLimitOverTime(), t.tokenLimitUnit(), t.maxConcurrentRequests(), Json.write(t.allowedModels()),
                Json.write(t.allowedProviders())};
    }

    private static Team map(ResultSet rs) throws SQLException {
        return new Team(rs.getString("id"), rs.getString("name"), Json.strings(rs.getString("tags")), rs.getLong("created_at"),
                rs.getLong("updated_at"), rs.getDouble("cost_limit_in_usd"), rs.getDouble("cost_limit_in_usd_over_time"),
                rs.getString("cost_limit_in_usd_unit"), rs.getInt("rate_limit_over_time"), rs.getString("rate_limit_unit"),
                rs.getLong("token_limit_over_time"), rs.getString("token_limit_unit"), rs.getInt("max_concurrent_requests"),
                Json.strings(rs.getString("allowed_models")), Json.strings(rs.getString("allowed_providers")));
    }
}
