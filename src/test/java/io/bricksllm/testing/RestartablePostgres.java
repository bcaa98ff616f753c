package io.bricksllm.testing;

import io.bricksllm.config.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An embedded PostgreSQL server of the caller's own (not the shared one of {@link TestDatabases}), which a test
 * may stop and start again on the same port and the same data directory — a database outage and its end.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private RestartablePostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public static RestartablePostgres start() {
        try {
            RestartablePostgres pg = new RestartablePostgres(Files.createTempDirectory("bricks-pg-outage"), TestDatabases.freePort());
            pg.restart();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server (again): same port, same data, nothing initialised twice. */
    public synchronized void restart() {
        if (server != null) return;
        try {
            server = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(30)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL on port " + port, e);
        }
    }

    /** Stops the server (pg_ctl stop, fast mode: open connections are cut); the data directory stays. */
    public synchronized void stop() {
        if (server == null) return;
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    /** The server's {@code postgres} database. */
    public PostgresSettings settings() {
        return new PostgresSettings("127.0.0.1", port, "postgres", "postgres", "", "disable",
                Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        stop();
    }
}
