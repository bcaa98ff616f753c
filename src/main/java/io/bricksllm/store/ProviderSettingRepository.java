package io.bricksllm.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Rows of the {@code provider_settings} table. */
public final class ProviderSettingRepository {
    private static final String COLUMNS = "id, created_at, updated_at, provider, setting, name, allowed_models, cost_map";

    private final Database db;

    public ProviderSettingRepository(Database db) {
        this.db = db;
    }

    public void insert(ProviderSetting s) {
        db.update("INSERT INTO provider_settings (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)", s.id(), s.createdAt(),
                s.updatedAt(), s.provider(), Json.write(s.setting()), s.name(), Json.write(s.allowedModels()),
                s.costMap() == null ? null : Json.write(s.costMap()));
    }

    public void update(ProviderSetting s) {
        db.write(c -> update(c, s));
    }

    /**
     * Reads, changes and writes one setting in one transaction with its row locked, so that concurrent
     * partial updates (say, a new apikey and a new url) are merged rather than lost. Empty when the id is
     * unknown; {@code change} must not use the database.
     */
    public Optional<ProviderSetting> update(String id, UnaryOperator<ProviderSetting> change) {
        return db.write(c -> {
            List<ProviderSetting> old = Database.query(c, "SELECT " + COLUMNS + " FROM provider_settings WHERE id=?"
                    + db.forUpdate(), ProviderSettingRepository::map, id);
            if (old.isEmpty()) return Optional.empty();
            ProviderSetting updated = change.apply(old.get(0));
            update(c, updated);
            return Optional.of(updated);
        });
    }

    private static int update(Connection c, ProviderSetting s) throws SQLException {
        return Database.update(c, "UPDATE provider_settings SET updated_at=?, setting=?, name=?, allowed_models=?, cost_map=? WHERE id=?",
                s.updatedAt(), Json.write(s.setting()), s.name(), Json.write(s.allowedModels()),
                s.costMap() == null ? null : Json.write(s.costMap()), s.id());
    }

    public Optional<ProviderSetting> findById(String id) {
        return db.query("SELECT " + COLUMNS + " FROM provider_settings WHERE id=?", ProviderSettingRepository::map, id)
                .stream().findFirst();
    }

    public List<ProviderSetting> findAll() {
        return db.query("SELECT " + COLUMNS + " FROM provider_settings ORDER BY created_at, id", ProviderSettingRepository::map);
    }

    private static ProviderSetting map(ResultSet rs) throws SQLException {
        String costMap = rs.getString("cost_map");
        return new ProviderSetting(rs.getString("id"), rs.getLong("created_at"), rs.getLong("updated_at"),
                rs.getString("provider"), Json.stringMap(rs.getString("setting")), rs.getString("name"),
                Json.strings(rs.getString("allowed_models")), costMap == null ? null : Json.read(costMap, CostMap.class));
    }
}
