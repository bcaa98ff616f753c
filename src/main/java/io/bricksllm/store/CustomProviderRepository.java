package io.bricksllm.store;

import java.util.Optional;

/** Rows of the {@code custom_providers} table (the custom-provider feature adds the rest). */
public final class CustomProviderRepository {
    private final Database db;

    public CustomProviderRepository(Database db) {
        this.db = db;
    }

    /** The authentication parameter of the custom provider with that (lower-cased) name, if it exists. */
    public Optional<String> authenticationParamOf(String name) {
        return db.query("SELECT authentication_param FROM custom_providers WHERE provider=?",
                rs -> rs.getString(1), name.toLowerCase(java.util.Locale.ROOT)).stream().findFirst();
    }
}
