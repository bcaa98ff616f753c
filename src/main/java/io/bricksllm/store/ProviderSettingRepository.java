package io.bricksllm.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Rows of the {@code provider_settings} table. The {@code setting} column, which holds the credentials, is stored
 * sealed by the {@link SecretCipher} (encrypted when ENCRYPTION_KEY is set) and opened on every read.
 */
public final class ProviderSettingRepository {
    private static final String COLUMNS = "id, created_at, updated_at, provider, setting, name, allowed_models, cost_map";

    private final Database db;
    private final SecretCipher cipher;

    /** Without encryption (tests of other parts). */
    public ProviderSettingRepository(Database db) {
        this(db, SecretCipher.none());
    }

    public ProviderSettingRepository(Database db, SecretCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    public void insert(ProviderSetting s) {
        db.update("INSERT INTO provider_settings (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)", s.id(), s.createdAt(),
                s.updatedAt(), s.provider(), sealed(s), s.name(), Json.write(s.allowedModels()),
                s.costMap() == null ? null : Json.write(s.costMap()));
    }

    /**
     * Brings every row under the current key, in one transaction with the rows locked: plaintext rows from before
     * encryption was enabled, and rows of ENCRYPTION_KEY_PREVIOUS after a rotation (or, with only the previous key
     * set, back to plaintext). Opening every row also proves at start-up that the configured keys are the right ones:
     * a {@link SecretCipher.SecretKeyException} otherwise. Returns how many rows were rewritten.
     */
    public int resealAll() {
        return db.write(c -> {
            List<String[]> rows = Database.query(c, "SELECT id, setting FROM provider_settings" + db.forUpdate(),
                    rs -> new String[] {rs.getString("id"), rs.getString("setting")});
            int changed = 0;
            for (String[] row : rows) {
                String plain = cipher.open(row[1], context(row[0]));
                if (!cipher.needsResealing(row[1])) continue;
                Database.update(c, "UPDATE provider_settings SET setting=? WHERE id=?", cipher.seal(plain, context(row[0])), row[0]);
                changed++;
            }
            return changed;
        });
    }

    private String sealed(ProviderSetting s) {
        return cipher.seal(Json.write(s.setting()), context(s.id()));
    }

    /** Names the row in error messages, and binds a sealed value to it (associated data). */
    private static String context(String id) {
        return "provider setting " + id;
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
                    + db.forUpdate(), this::map, id);
            if (old.isEmpty()) return Optional.empty();
            ProviderSetting updated = change.apply(old.get(0));
            update(c, updated);
            return Optional.of(updated);
        });
    }

    private int update(Connection c, ProviderSetting s) throws SQLException {
        return Database.update(c, "UPDATE provider_settings SET updated_at=?, setting=?, name=?, allowed_models=?, cost_map=? WHERE id=?",
                s.updatedAt(), sealed(s), s.name(), Json.write(s.allowedModels()),
                s.costMap() == null ? null : Json.write(s.costMap()), s.id());
    }

    public Optional<ProviderSetting> findById(String id) {
        return db.query("SELECT " + COLUMNS + " FROM provider_settings WHERE id=?", this::map, id)
                .stream().findFirst();
    }

    public List<ProviderSetting> findAll() {
        return db.query("SELECT " + COLUMNS + " FROM provider_settings ORDER BY created_at, id", this::map);
    }

    private ProviderSetting map(ResultSet rs) throws SQLException {
        String costMap = rs.getString("cost_map");
        String id = rs.getString("id");
        return new ProviderSetting(id, rs.getLong("created_at"), rs.getLong("updated_at"),
                rs.getString("provider"), Json.stringMap(cipher.open(rs.getString("setting"), context(id))), rs.getString("name"),
                Json.strings(rs.getString("allowed_models")), costMap == null ? null : Json.read(costMap, CostMap.class));
    }
}
