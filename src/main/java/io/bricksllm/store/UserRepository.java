package io.bricksllm.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * Rows of the {@code users} table. Several rows may share a {@code user_id} under different tag scopes;
 * the writes that must keep those scopes apart ({@link #insertUnlessClash}, {@link #update}) run with
 * every row of that {@code user_id} locked, so two concurrent creations cannot both pass the check.
 */
public final class UserRepository {
    private static final TypeReference<List<PathConfig>> PATHS = new TypeReference<>() {};
    private static final String COLUMNS = "id, user_id, name, created_at, updated_at, tags, revoked, revoked_reason,"
            + " cost_limit_in_usd, cost_limit_in_usd_over_time, cost_limit_in_usd_unit, rate_limit_over_time,"
            + " rate_limit_unit, ttl, key_ids, allowed_paths, allowed_models, team_id, token_limit_over_time, token_limit_unit,"
            + " max_concurrent_requests";

    /**
     * The outcome of a guarded write: {@code user} is the row as written, or (when {@code clash} is set)
     * the row that was refused because of the existing user {@code clash}.
     */
    public record Written(EndUser user, EndUser clash) {
        public boolean ok() {
            return clash == null;
        }
    }

    private final Database db;

    public UserRepository(Database db) {
        this.db = db;
    }

    /** Plain insert, no scope check. */
    public void insert(EndUser u) {
        db.update("INSERT INTO users (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", params(u));
    }

    /**
     * Inserts {@code u} unless an existing user with the same {@code userId} clashes with it
     * ({@code clash.test(existing, u)}); the check and the insert are one transaction.
     */
    public Written insertUnlessClash(EndUser u, BiPredicate<EndUser, EndUser> clash) {
        return db.write(c -> {
            lockUserId(c, u.userId());
            for (EndUser other : byUserId(c, u.userId())) {
                if (clash.test(other, u)) return new Written(u, other);
            }
            Database.update(c, "INSERT INTO users (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", params(u));
            return new Written(u, null);
        });
    }

    /**
     * Reads, changes and writes one user in one transaction (row locked), refusing a change of its tags
     * that clashes with another user of the same {@code userId}. Empty when the user does not exist;
     * {@code change} must not use the database.
     */
    public Optional<Written> update(String id, UnaryOperator<EndUser> change, BiPredicate<EndUser, EndUser> clash) {
        return db.write(c -> {
            List<EndUser> old = Database.query(c, "SELECT " + COLUMNS + " FROM users WHERE id=?", UserRepository::map, id);
            if (old.isEmpty()) return Optional.empty();
            lockUserId(c, old.get(0).userId());
            old = Database.query(c, "SELECT " + COLUMNS + " FROM users WHERE id=?" + db.forUpdate(), UserRepository::map, id);
            if (old.isEmpty()) return Optional.empty();
            EndUser updated = change.apply(old.get(0));
            if (!java.util.Set.copyOf(updated.tags()).equals(java.util.Set.copyOf(old.get(0).tags()))) {
                for (EndUser other : byUserId(c, updated.userId())) {
                    if (!other.id().equals(id) && clash.test(other, updated)) return Optional.of(new Written(updated, other));
                }
            }
            Object[] p = params(updated);
            Object[] shifted = new Object[p.length];
            System.arraycopy(p, 1, shifted, 0, p.length - 1);
            shifted[p.length - 1] = id;
            Database.update(c, "UPDATE users SET user_id=?, name=?, created_at=?, updated_at=?, tags=?, revoked=?, revoked_reason=?,"
                    + " cost_limit_in_usd=?, cost_limit_in_usd_over_time=?, cost_limit_in_usd_unit=?, rate_limit_over_time=?,"
                    + " rate_limit_unit=?, ttl=?, key_ids=?, allowed_paths=?, allowed_models=?, team_id=?, token_limit_over_time=?,"
                    + " token_limit_unit=?, max_concurrent_requests=? WHERE id=?", shifted);
            return Optional.of(new Written(updated, null));
        });
    }

    public Optional<EndUser> findById(String id) {
        return db.query("SELECT " + COLUMNS + " FROM users WHERE id=?", UserRepository::map, id).stream().findFirst();
    }

    public List<EndUser> findByUserId(String userId) {
        return db.query("SELECT " + COLUMNS + " FROM users WHERE user_id=? ORDER BY created_at, id", UserRepository::map, userId);
    }

    public List<EndUser> findAll() {
        return db.query("SELECT " + COLUMNS + " FROM users ORDER BY created_at, id", UserRepository::map);
    }

    public boolean delete(String id) {
        return db.update("DELETE FROM users WHERE id=?", id) > 0;
    }

    private List<EndUser> byUserId(Connection c, String userId) throws SQLException {
        return Database.query(c, "SELECT " + COLUMNS + " FROM users WHERE user_id=?" + db.forUpdate(), UserRepository::map, userId);
    }

    /**
     * PostgreSQL: a transaction-scoped advisory lock per user id, so that two transactions creating the
     * same user id serialise even when no row exists yet to lock. SQLite: {@link Database#write} already
     * holds the one writer lock.
     */
    private void lockUserId(Connection c, String userId) throws SQLException {
        if (db.dialect() != Database.Dialect.POSTGRES) return;
        Database.query(c, "SELECT pg_advisory_xact_lock(?)", rs -> 1, lockKey(userId));
    }

    private static long lockKey(String userId) {
        // a fixed namespace in the high bits keeps these locks apart from any other advisory lock user
        long h = 1125899906842597L;
        for (byte b : userId.getBytes(StandardCharsets.UTF_8)) h = 31 * h + b;
        return h;
    }

    private static Object[] params(EndUser u) {
        return new Object[] {u.id(), u.userId(), u.name(), u.createdAt(), u.updatedAt(), Json.write(u.tags()), u.revoked(),
                u.revokedReason(), u.costLimitInUsd(), u.costLimitInUsdOverTime(), u.costLimitInUsdUnit(),
                u.rateLimitOverTime(), u.rateLimitUnit(), u.ttl(), Json.write(u.keyIds()),
                u.allowedPaths() == null ? null : Json.write(u.allowedPaths()), Json.write(u.allowedModels()), u.teamId(),
                u.tokenLimitOverTime(), u.tokenLimitUnit(), u.maxConcurrentRequests()};
    }

    private static EndUser map(ResultSet rs) throws SQLException {
        String paths = rs.getString("allowed_paths");
        return new EndUser(rs.getString("id"), rs.getString("user_id"), rs.getString("name"), rs.getLong("created_at"),
                rs.getLong("updated_at"), Json.strings(rs.getString("tags")), Json.strings(rs.getString("key_ids")),
                rs.getBoolean("revoked"), rs.getString("revoked_reason"), rs.getDouble("cost_limit_in_usd"),
                rs.getDouble("cost_limit_in_usd_over_time"), rs.getString("cost_limit_in_usd_unit"),
                rs.getInt("rate_limit_over_time"), rs.getString("rate_limit_unit"), rs.getString("ttl"),
                paths == null ? null : Json.read(paths, PATHS), Json.strings(rs.getString("allowed_models")),
                rs.getString("team_id"), rs.getLong("token_limit_over_time"), rs.getString("token_limit_unit"),
                rs.getInt("max_concurrent_requests"));
    }
}
