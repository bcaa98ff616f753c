package io.bricksllm.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.PostgresSettings;
import io.bricksllm.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening an existing database re-runs Flyway: it must be a no-op that keeps the data. */
class MigrationTest {
    @TempDir
    Path dir;

    @Test
    void sqliteFileOpenedTwiceKeepsItsSchemaAndData() {
        Path file = dir.resolve("nested/dir/gateway.db");
        int applied;
        try (Database first = Database.sqlite(file)) {
            new KeyRepository(first).insert(KeyRepositoryTest.full("k1", "secret-1"));
            applied = appliedMigrations(first);
        }
        try (Database second = Database.sqlite(file)) {
            assertThat(new KeyRepository(second).findById("k1")).contains(KeyRepositoryTest.full("k1", "secret-1"));
            assertThat(appliedMigrations(second)).isEqualTo(applied).isPositive();
        }
    }

    /** The event writer's settings reach every pooled connection, not only the first. */
    @Test
    void everySqliteConnectionHasTheWalAndCacheSettings() {
        try (Database db = Database.sqlite(dir.resolve("settings.db"))) {
            for (int i = 0; i < 3; i++) {
                db.withConnection(c -> {
                    assertThat(Database.query(c, "PRAGMA journal_mode", rs -> rs.getString(1))).containsExactly("wal");
                    assertThat(Database.query(c, "PRAGMA wal_autocheckpoint", rs -> rs.getInt(1))).containsExactly(10_000);
                    assertThat(Database.query(c, "PRAGMA cache_size", rs -> rs.getInt(1))).containsExactly(-4096);
                    return null;
                });
            }
        }
    }

    @Test
    void postgresDatabaseOpenedTwiceKeepsItsSchemaAndData() {
        PostgresSettings pg = TestDatabases.freshPostgres();
        int applied;
        try (Database first = Database.postgres(pg)) {
            new KeyRepository(first).insert(KeyRepositoryTest.full("k1", "secret-1"));
            applied = appliedMigrations(first);
        }
        try (Database second = Database.postgres(pg)) {
            assertThat(new KeyRepository(second).findById("k1")).contains(KeyRepositoryTest.full("k1", "secret-1"));
            assertThat(appliedMigrations(second)).isEqualTo(applied).isPositive();
        }
    }

    @Test
    void bothDatabasesAreReachableAfterMigration() {
        try (Database sqlite = TestDatabases.open(TestDatabases.Kind.SQLITE);
             Database pg = TestDatabases.open(TestDatabases.Kind.POSTGRES)) {
            assertThat(sqlite.isReachable()).isTrue();
            assertThat(pg.isReachable()).isTrue();
            assertThat(sqlite.dialect()).isEqualTo(Database.Dialect.SQLITE);
            assertThat(pg.dialect()).isEqualTo(Database.Dialect.POSTGRES);
        }
    }

    private static int appliedMigrations(Database db) {
        List<Integer> n = db.query("SELECT COUNT(*) FROM flyway_schema_history WHERE success = ?",
                rs -> rs.getInt(1), true);
        return n.get(0);
    }
}
