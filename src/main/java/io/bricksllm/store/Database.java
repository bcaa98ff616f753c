package io.bricksllm.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.bricksllm.config.GatewayConfig;
import io.bricksllm.config.PostgresSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The relational store: a pooled {@link DataSource} for SQLite (embedded) or PostgreSQL (scale-out),
 * migrated by Flyway with one migration set. Every statement uses bound parameters.
 * Blocking: call only from worker threads, never from a Vert.x event loop.
 */
public final class Database implements AutoCloseable {
    public enum Dialect { SQLITE, POSTGRES }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * The longest an admin call, a readiness check or an event batch waits for a pooled PostgreSQL connection: during
     * an outage callers get a fast 503 (and events go to the spool) instead of hanging for the pool's default 30 s.
     */
    static final int POSTGRES_CONNECTION_WAIT_MS = 1000;
    /** A new PostgreSQL connection must be up within this (TCP connect and log-in each). */
    static final int POSTGRES_CONNECT_SECONDS = 1;

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final String writeTimeoutSql; // SET LOCAL statement_timeout inside write transactions; null on SQLite
    // SQLite allows one writer; serialising writes here avoids SQLITE_BUSY on lock upgrades.
    private final ReentrantLock sqliteWriteLock = new ReentrantLock();

    private Database(HikariDataSource dataSource, Dialect dialect, String writeTimeoutSql) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.writeTimeoutSql = writeTimeoutSql;
    }

    public static Database open(GatewayConfig config) {
        return config.postgres().map(Database::postgres).orElseGet(() -> sqlite(config.sqlitePath()));
    }

    public static Database sqlite(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) PrivateFiles.directory(parent);
            // the file holds provider credentials: only the gateway's user may read it. SQLite gives its -wal and
            // -shm files the mode of the database file.
            PrivateFiles.file(file);
        } catch (IOException e) {
            throw new StoreException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        hc.addDataSourceProperty("journal_mode", "WAL");
        hc.addDataSourceProperty("synchronous", "NORMAL");
        hc.addDataSourceProperty("busy_timeout", "10000");
        // Event rows arrive at thousands per second: a WAL checkpoint every ~40 MB instead of every ~4 MB writes each
        // hot page back far fewer times. The page cache is per connection (up to 4): 4 MB each, as fast as 16 MB in
        // EventPipelineThroughput, without 48 MB more resident memory.
        hc.addDataSourceProperty("cache_size", "-4096");
        hc.setConnectionInitSql("PRAGMA wal_autocheckpoint=10000");
        hc.setMaximumPoolSize(4);
        hc.setPoolName("sqlite");
        return migrated(new HikariDataSource(hc), Dialect.SQLITE, null);
    }

    /**
     * POSTGRESQL_READ_TIME_OUT is every connection's {@code statement_timeout}; POSTGRESQL_WRITE_TIME_OUT replaces it
     * for the statements of a {@link #write} transaction. The socket timeout only catches a server that stopped
     * answering altogether, so it is longer than both.
     */
    public static Database postgres(PostgresSettings pg) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(pg.jdbcUrl());
        if (!pg.username().isEmpty()) hc.setUsername(pg.username());
        if (!pg.password().isEmpty()) hc.setPassword(pg.password());
        boolean unbounded = pg.readTimeout().isZero() || pg.writeTimeout().isZero(); // 0 = no statement timeout
        long longest = Math.max(pg.readTimeout().toSeconds(), pg.writeTimeout().toSeconds());
        hc.addDataSourceProperty("socketTimeout", String.valueOf(unbounded ? 0 : longest + 10));
        hc.addDataSourceProperty("connectTimeout", String.valueOf(POSTGRES_CONNECT_SECONDS));
        hc.addDataSourceProperty("loginTimeout", String.valueOf(POSTGRES_CONNECT_SECONDS + 1));
        hc.setConnectionInitSql("SET statement_timeout = " + statementTimeoutMillis(pg.readTimeout()));
        hc.setMaximumPoolSize(10);
        hc.setConnectionTimeout(POSTGRES_CONNECTION_WAIT_MS);
        hc.setValidationTimeout(POSTGRES_CONNECTION_WAIT_MS / 2);
        hc.setPoolName("postgres");
        return migrated(new HikariDataSource(hc), Dialect.POSTGRES,
                "SET LOCAL statement_timeout = " + statementTimeoutMillis(pg.writeTimeout()));
    }

    /** PostgreSQL reads 0 as "no timeout": a zero duration keeps that meaning, anything else is at least 1 ms. */
    private static long statementTimeoutMillis(java.time.Duration d) {
        return d.isZero() ? 0 : Math.max(1, d.toMillis());
    }

    private static Database migrated(HikariDataSource ds, Dialect dialect, String writeTimeoutSql) {
        try {
            migrations(ds, dialect).load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("database migration failed: " + e.getMessage(), e);
        }
        return new Database(ds, dialect, writeTimeoutSql);
    }

    /**
     * The one migration set of both databases: SQL files with placeholders, and Java migrations (package
     * {@code db.migration}) where the databases differ (V15).
     */
    public static FluentConfiguration migrations(DataSource ds, Dialect dialect) {
        return Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .placeholders(Map.of("blob", dialect == Dialect.SQLITE ? "BLOB" : "BYTEA",
                        // SQLite: a table stored in its primary key's B-tree (V14)
                        "withoutRowid", dialect == Dialect.SQLITE ? " WITHOUT ROWID" : ""));
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(c -> query(c, sql, mapper, params));
    }

    public int update(String sql, Object... params) {
        return write(c -> update(c, sql, params));
    }

    /** Runs {@code work} in one transaction, holding the SQLite write lock when on SQLite. */
    public <T> T write(Work<T> work) {
        boolean locked = dialect == Dialect.SQLITE;
        if (locked) sqliteWriteLock.lock();
        try {
            return withConnection(c -> {
                boolean auto = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    if (writeTimeoutSql != null) {
                        try (var st = c.createStatement()) {
                            st.execute(writeTimeoutSql);
                        }
                    }
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(auto);
                }
            });
        } finally {
            if (locked) sqliteWriteLock.unlock();
        }
    }

    public <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    /** A query on a connection the caller holds (inside {@link #write}). */
    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        }
    }

    /** A statement on a connection the caller holds (inside {@link #write}). */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /**
     * Appended to a SELECT inside {@link #write} to lock the rows read until commit. PostgreSQL needs it;
     * SQLite has no such clause and needs none, since {@link #write} already holds the one writer lock.
     */
    public String forUpdate() {
        return dialect == Dialect.POSTGRES ? " FOR UPDATE" : "";
    }

    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
    }

    /** True when the database answers a trivial query (used by readiness). */
    public boolean isReachable() {
        try {
            return withConnection(c -> c.isValid(1));
        } catch (StoreException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
