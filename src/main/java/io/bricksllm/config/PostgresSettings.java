package io.bricksllm.config;

import java.time.Duration;

/** Connection settings for scale-out storage (POSTGRESQL_* variables). */
public record PostgresSettings(String host, int port, String database, String username, String password,
                               String sslMode, Duration readTimeout, Duration writeTimeout) {
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode
                + "&ApplicationName=bricksllm";
    }

    @Override
    public String toString() { // never print the password
        return "postgresql://" + (username.isEmpty() ? "" : username + "@") + host + ":" + port + "/" + database;
    }
}
