package io.bricksllm.store;

/** Rows of the {@code policies} table (the policy feature adds the rest). */
public final class PolicyRepository {
    private final Database db;

    public PolicyRepository(Database db) {
        this.db = db;
    }

    public boolean exists(String id) {
        return !db.query("SELECT 1 FROM policies WHERE id=?", rs -> 1, id).isEmpty();
    }
}
