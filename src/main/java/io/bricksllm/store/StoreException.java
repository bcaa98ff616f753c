package io.bricksllm.store;

import java.sql.SQLException;

/** A storage failure; {@link #uniqueViolation()} tells a duplicate apart from an outage. */
public class StoreException extends RuntimeException {
    private final boolean uniqueViolation;
    private final boolean invalidValue;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false, false);
    }

    private StoreException(String message, Throwable cause, boolean uniqueViolation, boolean invalidValue) {
        super(message, cause);
        this.uniqueViolation = uniqueViolation;
        this.invalidValue = invalidValue;
    }

    /** A duplicate the application found itself (no constraint can express it), reported like a constraint's. */
    public static StoreException duplicate(String message) {
        return new StoreException(message, null, true, false);
    }

    public static StoreException from(SQLException e) {
        // 23505 = PostgreSQL unique_violation; SQLite reports SQLITE_CONSTRAINT_UNIQUE (2067) / PRIMARYKEY (1555)
        boolean unique = "23505".equals(e.getSQLState()) || e.getErrorCode() == 2067 || e.getErrorCode() == 1555
                || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
        // SQLSTATE class 22 = data exception: a value too long for its column, a NUL byte in text, a number out of range
        boolean invalid = e.getSQLState() != null && e.getSQLState().startsWith("22");
        return new StoreException("database error: " + e.getMessage(), e, unique, invalid);
    }

    public boolean uniqueViolation() {
        return uniqueViolation;
    }

    /** The database refused a value the caller sent, not an outage: the caller should get a 400. */
    public boolean invalidValue() {
        return invalidValue;
    }
}
