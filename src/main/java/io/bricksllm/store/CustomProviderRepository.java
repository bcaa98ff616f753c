package io.bricksllm.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Rows of the {@code custom_providers} table; names are stored lower-cased and unique. */
public final class CustomProviderRepository {
    private static final TypeReference<List<RouteConfig>> ROUTES = new TypeReference<>() {};
    private static final String COLUMNS = "id, created_at, updated_at, provider, route_configs, authentication_param";

    private final Database db;

    public CustomProviderRepository(Database db) {
        this.db = db;
    }

    /** @throws StoreException with {@code uniqueViolation()} when the name is taken */
    public void insert(CustomProvider p) {
        db.update("INSERT INTO custom_providers (" + COLUMNS + ") VALUES (?,?,?,?,?,?)", p.id(), p.createdAt(), p.updatedAt(),
                p.provider(), Json.write(p.routeConfigs()), p.authenticationParam());
    }

    public void update(CustomProvider p) {
        db.update("UPDATE custom_providers SET updated_at=?, route_configs=?, authentication_param=? WHERE id=?",
                p.updatedAt(), Json.write(p.routeConfigs()), p.authenticationParam(), p.id());
    }

    public Optional<CustomProvider> findById(String id) {
        return db.query("SELECT " + COLUMNS + " FROM custom_providers WHERE id=?", CustomProviderRepository::map, id).stream().findFirst();
    }

    public List<CustomProvider> findAll() {
        return db.query("SELECT " + COLUMNS + " FROM custom_providers ORDER BY created_at, id", CustomProviderRepository::map);
    }

    /** The authentication parameter of the custom provider with that (lower-cased) name, if it exists. */
    public Optional<String> authenticationParamOf(String name) {
        return db.query("SELECT authentication_param FROM custom_providers WHERE provider=?",
                rs -> rs.getString(1), name.toLowerCase(java.util.Locale.ROOT)).stream().findFirst();
    }

    private static CustomProvider map(ResultSet rs) throws SQLException {
        return new CustomProvider(rs.getString("id"), rs.getLong("created_at"), rs.getLong("updated_at"), rs.getString("provider"),
                Json.read(rs.getString("route_configs"), ROUTES), rs.getString("authentication_param"));
    }
}
