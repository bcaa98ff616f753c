package io.bricksllm.testing;

import io.bricksllm.config.PostgresSettings;
import io.bricksllm.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real databases for tests: a SQLite file in a fresh temp directory, or a fresh database on one
 * embedded PostgreSQL server per test JVM (started on a free port, never 5432).
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabases() {}

    public enum Kind { SQLITE, POSTGRES }

    public static Database open(Kind kind) {
        return kind == Kind.SQLITE ? sqlite() : Database.postgres(freshPostgres());
    }

    public static Database sqlite() {
        try {
            Path dir = Files.createTempDirectory("bricksllm-test");
            return Database.sqlite(dir.resolve("test.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings of a brand-new, empty database on the shared embedded server. */
    public static synchronized PostgresSettings freshPostgres() {
        EmbeddedPostgres pg = server();
        String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database", e);
        }
        return new PostgresSettings("127.0.0.1", pg.getPort(), name, "postgres", "", "disable",
                Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setPort(freePort()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return server;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
