package io.bricksllm.store;

import java.sql.SQLException;

/** A storage failure; {@link #uniqueViolation()} tells a duplicate apart from an outage. */
public class StoreException extends RuntimeException {
    private final boolean uniqueViolation;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private StoreException(String message, Throwable cause, boolean uniqueViolation) {
        super(message, cause);
        this.uniqueViolation = uniqueViolation;
    }

    public static StoreException from(SQLException e) {
        // 23505 = PostgreSQL unique_violation; SQLite reports SQLITE_CONSTRAINT_UNIQUE (2067) / PRIMARYKEY (1555)
        boolean unique = "23505".equals(e.getSQLState()) || e.getErrorCode() == 2067 || e.getErrorCode() == 1555
                || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
        return new StoreException("database error: " + e.getMessage(), e, unique);
    }

    public boolean uniqueViolation() {
        return uniqueViolation;
    }
}
