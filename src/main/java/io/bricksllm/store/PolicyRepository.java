package io.bricksllm.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Rows of the {@code policies} table. */
public final class PolicyRepository {
    private static final String COLUMNS = "id, created_at, updated_at, name, tags, config, regex_config, custom_config";

    private final Database db;

    public PolicyRepository(Database db) {
        this.db = db;
    }

    public boolean exists(String id) {
        return !db.query("SELECT 1 FROM policies WHERE id=?", rs -> 1, id).isEmpty();
    }

    public void insert(Policy p) {
        db.update("INSERT INTO policies (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)", p.id(), p.createdAt(), p.updatedAt(), p.name(),
                Json.write(p.tags()), Json.write(p.config()), Json.write(p.regexConfig()), Json.write(p.customConfig()));
    }

    public void update(Policy p) {
        db.update("UPDATE policies SET updated_at=?, name=?, tags=?, config=?, regex_config=?, custom_config=? WHERE id=?",
                p.updatedAt(), p.name(), Json.write(p.tags()), Json.write(p.config()), Json.write(p.regexConfig()),
                Json.write(p.customConfig()), p.id());
    }

    public boolean delete(String id) {
        return db.update("DELETE FROM policies WHERE id=?", id) > 0;
    }

    public Optional<Policy> findById(String id) {
        return db.query("SELECT " + COLUMNS + " FROM policies WHERE id=?", PolicyRepository::map, id).stream().findFirst();
    }

    public List<Policy> findAll() {
        return db.query("SELECT " + COLUMNS + " FROM policies ORDER BY created_at, id", PolicyRepository::map);
    }

    private static Policy map(ResultSet rs) throws SQLException {
        return new Policy(rs.getString("id"), rs.getString("name"), rs.getLong("created_at"), rs.getLong("updated_at"),
                Json.strings(rs.getString("tags")), Json.read(rs.getString("config"), Policy.EntityConfig.class),
                Json.read(rs.getString("regex_config"), Policy.RuleConfig.class),
                Json.read(rs.getString("custom_config"), Policy.RuleConfig.class));
    }
}
