package io.bricksllm.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Rows of the {@code routes} table; paths are unique. */
public final class RouteRepository {
    private static final TypeReference<List<RouteStep>> STEPS = new TypeReference<>() {};
    private static final TypeReference<List<Integer>> INTS = new TypeReference<>() {};
    private static final String COLUMNS = "id, created_at, updated_at, name, path, key_ids, steps, cache_config, request_format, retry_strategy, retry_on, routing";

    private final Database db;

    public RouteRepository(Database db) {
        this.db = db;
    }

    /** @throws StoreException with {@code uniqueViolation()} when the path is taken */
    public void insert(Route r) {
        db.update("INSERT INTO routes (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", r.id(), r.createdAt(), r.updatedAt(),
                r.name(), r.path(), Json.write(r.keyIds()), Json.write(r.steps()), Json.write(r.cacheConfig()),
                r.requestFormat(), r.retryStrategy(), Json.write(r.retryOn()), routing(r));
    }

    public void update(Route r) {
        db.update("UPDATE routes SET updated_at=?, name=?, path=?, key_ids=?, steps=?, cache_config=?, request_format=?,"
                        + " retry_strategy=?, retry_on=?, routing=? WHERE id=?", r.updatedAt(), r.name(), r.path(), Json.write(r.keyIds()),
                Json.write(r.steps()), Json.write(r.cacheConfig()), r.requestFormat(), r.retryStrategy(), Json.write(r.retryOn()),
                routing(r), r.id());
    }

    public boolean delete(String id) {
        return db.update("DELETE FROM routes WHERE id=?", id) > 0;
    }

    public Optional<Route> findById(String id) {
        return db.query("SELECT " + COLUMNS + " FROM routes WHERE id=?", RouteRepository::map, id).stream().findFirst();
    }

    public List<Route> findAll() {
        return db.query("SELECT " + COLUMNS + " FROM routes ORDER BY created_at, id", RouteRepository::map);
    }

    /** NULL for a route without smart-routing options, so old rows and new plain routes look alike. */
    private static String routing(Route r) {
        return r.fallbacks().isEmpty() && r.budgetFallback() == null && !r.allowStrategyOverride() ? null : Json.write(r.routing());
    }

    private static Route map(ResultSet rs) throws SQLException {
        String retryOn = rs.getString("retry_on");
        String routingJson = rs.getString("routing");
        Route.Routing routing = routingJson == null ? new Route.Routing(null, null, false) : Json.read(routingJson, Route.Routing.class);
        return new Route(rs.getString("id"), rs.getLong("created_at"), rs.getLong("updated_at"), rs.getString("name"),
                rs.getString("path"), Json.strings(rs.getString("key_ids")), Json.read(rs.getString("steps"), STEPS),
                Json.read(rs.getString("cache_config"), Route.CacheConfig.class), rs.getString("retry_strategy"),
                rs.getString("request_format"), retryOn == null ? List.of() : Json.read(retryOn, INTS),
                routing.fallbacks(), routing.budgetFallback(), routing.allowStrategyOverride());
    }
}
