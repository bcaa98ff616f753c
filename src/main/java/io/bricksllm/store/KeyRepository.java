package io.bricksllm.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Rows of the {@code keys} table. */
public final class KeyRepository {
    private static final TypeReference<List<PathConfig>> PATHS = new TypeReference<>() {};
    private static final String COLUMNS = "key_id, name, created_at, updated_at, tags, revoked, secret, revoked_reason,"
            + " cost_limit_in_usd, cost_limit_in_usd_over_time, cost_limit_in_usd_unit, rate_limit_over_time,"
            + " rate_limit_unit, ttl, setting_id, allowed_paths, setting_ids, should_log_request, should_log_response,"
            + " rotation_enabled, policy_id, is_key_not_hashed, previous_secret, previous_secret_expires_at, rotated_at, team_id,"
            + " token_limit_over_time, token_limit_unit, max_concurrent_requests, setting_strategy, setting_weights";

    private final Database db;

    public KeyRepository(Database db) {
        this.db = db;
    }

    /** @throws StoreException with {@code uniqueViolation()} when the secret is already used */
    public void insert(ApiKey k) {
        db.update("INSERT INTO keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", params(k));
    }

    public void update(ApiKey k) {
        db.write(c -> update(c, k));
    }

    /**
     * Reads, changes and writes one key in one transaction with its row locked, so that two concurrent
     * patches of different fields both survive (a plain read-then-write would let the later one undo the
     * earlier, e.g. a revocation). Empty when the key does not exist; {@code change} must not use the database.
     *
     * @throws StoreException with {@code uniqueViolation()} when the changed secret is already used
     */
    public Optional<ApiKey> update(String keyId, UnaryOperator<ApiKey> change) {
        return db.write(c -> {
            List<ApiKey> old = Database.query(c, "SELECT " + COLUMNS + " FROM keys WHERE key_id=?" + db.forUpdate(),
                    KeyRepository::map, keyId);
            if (old.isEmpty()) return Optional.empty();
            ApiKey updated = change.apply(old.get(0));
            update(c, updated);
            return Optional.of(updated);
        });
    }

    /**
     * Rotates one key in one transaction with its row locked: {@code change} gets the row as it is and returns the
     * rotated key (it may throw to refuse, e.g. for a revoked key, and must not use the database). Empty when the key
     * does not exist.
     *
     * @param newSecret the new secret in clear text, only to look for another key that already answers to it
     * @param now       the rotation's time: another key's previous secret counts as in use until it expires
     * @throws StoreException with {@code uniqueViolation()} when another key answers to the new secret, as its
     *                        current secret (hashed or raw) or as a previous secret still in its grace period
     */
    public Optional<ApiKey> rotate(String keyId, String newSecret, long now, UnaryOperator<ApiKey> change) {
        String hash = SecretHash.sha256Hex(newSecret);
        return db.write(c -> {
            List<ApiKey> old = Database.query(c, "SELECT " + COLUMNS + " FROM keys WHERE key_id=?" + db.forUpdate(),
                    KeyRepository::map, keyId);
            if (old.isEmpty()) return Optional.empty();
            List<String> holders = Database.query(c, "SELECT key_id FROM keys WHERE key_id<>? AND ((secret=? AND is_key_not_hashed=?)"
                            + " OR (secret=? AND is_key_not_hashed=?) OR (previous_secret=? AND previous_secret_expires_at>?))",
                    rs -> rs.getString(1), keyId, hash, false, newSecret, true, hash, now);
            if (!holders.isEmpty()) throw StoreException.duplicate("the new secret is already used by another key");
            ApiKey updated = change.apply(old.get(0));
            update(c, updated);
            return Optional.of(updated);
        });
    }

    private static int update(Connection c, ApiKey k) throws SQLException {
        Object[] p = params(k);
        Object[] shifted = new Object[p.length];
        System.arraycopy(p, 1, shifted, 0, p.length - 1);
        shifted[p.length - 1] = k.keyId();
        return Database.update(c, "UPDATE keys SET name=?, created_at=?, updated_at=?, tags=?, revoked=?, secret=?, revoked_reason=?,"
                + " cost_limit_in_usd=?, cost_limit_in_usd_over_time=?, cost_limit_in_usd_unit=?, rate_limit_over_time=?,"
                + " rate_limit_unit=?, ttl=?, setting_id=?, allowed_paths=?, setting_ids=?, should_log_request=?,"
                + " should_log_response=?, rotation_enabled=?, policy_id=?, is_key_not_hashed=?, previous_secret=?,"
                + " previous_secret_expires_at=?, rotated_at=?, team_id=?, token_limit_over_time=?, token_limit_unit=?,"
                + " max_concurrent_requests=?, setting_strategy=?, setting_weights=? WHERE key_id=?", shifted);
    }

    /**
     * True when a rotated key still accepts this secret (its SHA-256 hex) as its previous one at {@code now} (Unix
     * seconds): a new key with it would take over the requests of that key's not yet migrated callers.
     */
    public boolean isPreviousSecretInGrace(String secretHash, long now) {
        return !db.query("SELECT key_id FROM keys WHERE previous_secret=? AND previous_secret_expires_at>?",
                rs -> rs.getString(1), secretHash, now).isEmpty();
    }

    public boolean delete(String keyId) {
        return db.update("DELETE FROM keys WHERE key_id=?", keyId) > 0;
    }

    public Optional<ApiKey> findById(String keyId) {
        return db.query("SELECT " + COLUMNS + " FROM keys WHERE key_id=?", KeyRepository::map, keyId).stream().findFirst();
    }

    public List<ApiKey> findAll() {
        return db.query("SELECT " + COLUMNS + " FROM keys ORDER BY created_at, key_id", KeyRepository::map);
    }

    private static Object[] params(ApiKey k) {
        return new Object[] {k.keyId(), k.name(), k.createdAt(), k.updatedAt(), Json.write(k.tags()), k.revoked(), k.key(),
                k.revokedReason(), k.costLimitInUsd(), k.costLimitInUsdOverTime(), k.costLimitInUsdUnit(),
                k.rateLimitOverTime(), k.rateLimitUnit(), k.ttl(), k.settingId(),
                k.allowedPaths() == null ? null : Json.write(k.allowedPaths()), Json.write(k.settingIds()),
                k.shouldLogRequest(), k.shouldLogResponse(), k.rotationEnabled(), k.policyId(), k.isKeyNotHashed(),
                k.previousKey(), k.previousKeyExpiresAt(), k.rotatedAt(), k.teamId(), k.tokenLimitOverTime(), k.tokenLimitUnit(),
                k.maxConcurrentRequests(), k.settingStrategy(), k.settingWeights().isEmpty() ? "" : Json.write(k.settingWeights())};
    }

    private static final TypeReference<java.util.Map<String, Integer>> WEIGHTS = new TypeReference<>() {};

    private static java.util.Map<String, Integer> weights(String json) {
        return json == null || json.isEmpty() ? java.util.Map.of() : Json.read(json, WEIGHTS);
    }

    private static ApiKey map(ResultSet rs) throws SQLException {
        String paths = rs.getString("allowed_paths");
        return new ApiKey(rs.getString("name"), rs.getLong("created_at"), rs.getLong("updated_at"),
                Json.strings(rs.getString("tags")), rs.getString("key_id"), rs.getBoolean("revoked"),
                rs.getString("secret"), rs.getString("revoked_reason"), rs.getDouble("cost_limit_in_usd"),
                rs.getDouble("cost_limit_in_usd_over_time"), rs.getString("cost_limit_in_usd_unit"),
                rs.getInt("rate_limit_over_time"), rs.getString("rate_limit_unit"), rs.getString("ttl"),
                rs.getString("setting_id"), paths == null ? null : Json.read(paths, PATHS),
                Json.strings(rs.getString("setting_ids")), rs.getBoolean("should_log_request"),
                rs.getBoolean("should_log_response"), rs.getBoolean("rotation_enabled"), rs.getString("policy_id"),
                rs.getBoolean("is_key_not_hashed"), rs.getString("previous_secret"), rs.getLong("previous_secret_expires_at"),
                rs.getLong("rotated_at"), rs.getString("team_id"), rs.getLong("token_limit_over_time"),
                rs.getString("token_limit_unit"), rs.getInt("max_concurrent_requests"), rs.getString("setting_strategy"),
                weights(rs.getString("setting_weights")));
    }
}
