package io.bricksllm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.config.PostgresSettings;
import io.bricksllm.testing.TestDatabases;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * POSTGRESQL_READ_TIME_OUT and POSTGRESQL_WRITE_TIME_OUT are PostgreSQL statement timeouts: a read bounded by the
 * first, every statement of a write transaction by the second, checked with pg_sleep on a real server.
 */
class StatementTimeoutTest {
    @Test
    void readsAreBoundedByTheReadTimeoutAndWritesByTheWriteTimeout() {
        PostgresSettings base = TestDatabases.freshPostgres();
        PostgresSettings pg = new PostgresSettings(base.host(), base.port(), base.database(), base.username(), base.password(),
                base.sslMode(), Duration.ofMillis(1500), Duration.ofMillis(300));
        try (Database db = Database.postgres(pg)) {
            assertThat(db.query("SELECT 1 FROM pg_sleep(0.6)", rs -> rs.getInt(1))).as("a read under its timeout").containsExactly(1);

            long t0 = System.nanoTime();
            assertThatThrownBy(() -> db.query("SELECT pg_sleep(5)", rs -> 1))
                    .isInstanceOf(StoreException.class).hasMessageContaining("statement timeout");
            assertThat(elapsedMs(t0)).as("cancelled at the read timeout").isBetween(1400L, 4000L);

            t0 = System.nanoTime();
            assertThatThrownBy(() -> db.write(c -> Database.query(c, "SELECT pg_sleep(0.6)", rs -> 1)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("statement timeout");
            assertThat(elapsedMs(t0)).as("cancelled at the write timeout").isBetween(250L, 1400L);

            // the write timeout is local to its transaction: the next read on a pooled connection has the read timeout again
            for (int i = 0; i < 3; i++) {
                assertThat(db.query("SELECT 1 FROM pg_sleep(0.6)", rs -> rs.getInt(1))).containsExactly(1);
            }
        }
    }

    private static long elapsedMs(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
