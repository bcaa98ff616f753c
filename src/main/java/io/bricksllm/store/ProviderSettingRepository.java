package io.bricksllm.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

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
        db.update("UPDATE provider_settings SET updated_at=?, setting=?, name=?, allowed_models=?, cost_map=? WHERE id=?",
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
