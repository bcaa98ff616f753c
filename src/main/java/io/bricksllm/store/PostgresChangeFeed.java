package io.bricksllm.store;

import io.bricksllm.config.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other gateway instances that configuration changed, through PostgreSQL LISTEN/NOTIFY: an
 * admin write on one instance is seen by every other within milliseconds. One dedicated connection and
 * thread listen; a lost connection is reopened with back-off (the periodic reload covers the gap).
 */
public final class PostgresChangeFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    static final String CHANNEL = "bricksllm_config";

    private final PostgresSettings settings;
    private final Database db;
    private final Runnable onRemoteChange;
    private final String instanceId = UUID.randomUUID().toString();
    private final Thread listener;
    private volatile boolean closed;

    public PostgresChangeFeed(PostgresSettings settings, Database db, Runnable onRemoteChange) {
        this.settings = settings;
        this.db = db;
        this.onRemoteChange = onRemoteChange;
        this.listener = new Thread(this::listen, "config-change-feed");
        listener.setDaemon(true);
    }

    public PostgresChangeFeed start() {
        listener.start();
        return this;
    }

    /** Announces a committed change to the other instances. Blocking (one statement). */
    public void publish() {
        try {
            db.query("SELECT pg_notify(?, ?)", rs -> 1, CHANNEL, instanceId);
        } catch (StoreException e) {
            LOG.warn("configuration change not announced (other instances pick it up on their periodic reload): {}", e.getMessage());
        }
    }

    private void listen() {
        long backoffMs = 200;
        while (!closed) {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("LISTEN " + CHANNEL);
                backoffMs = 200;
                // anything missed while disconnected is picked up by reloading once connected
                onRemoteChange.run();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications(500);
                    if (notes == null || notes.length == 0) continue;
                    boolean remote = false;
                    for (PGNotification n : notes) remote |= !instanceId.equals(n.getParameter());
                    if (remote) onRemoteChange.run();
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                LOG.warn("configuration change feed lost its connection, reconnecting in {} ms: {}", backoffMs, e.getMessage());
                try {
                    Thread.sleep(backoffMs); // back-off between reconnect attempts of a background thread
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (!settings.username().isEmpty()) p.setProperty("user", settings.username());
        if (!settings.password().isEmpty()) p.setProperty("password", settings.password());
        p.setProperty("connectTimeout", "5");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(settings.jdbcUrl(), p);
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
    }
}
