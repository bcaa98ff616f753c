package io.bricksllm.admin.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Database;
import io.bricksllm.store.Json;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** The {@code audit_log} table: written after each admin change, read newest first in cursor pages. Blocking. */
public final class AuditLog {
    /** Filters of a read; null or empty = any. {@code startMillis} inclusive, {@code endMillis} exclusive (0 = none). */
    public record Filter(String subject, String resourceType, String resourceId, long startMillis, long endMillis) {}

    /** Where a page ends: the next page holds the rows strictly older than this (created_at, id). */
    public record Cursor(long createdAtMillis, String id) {
        public String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAtMillis + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        /** Empty when {@code text} is not a cursor this log made. */
        public static Optional<Cursor> decode(String text) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = s.indexOf(':');
                if (colon <= 0) return Optional.empty();
                return Optional.of(new Cursor(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    public record Page(List<AuditEntry> entries, Optional<Cursor> next) {}

    private static final String COLUMNS = "id, created_at, subject, auth_method, address, method, path, resource_type,"
            + " resource_id, status, before_json, after_json";

    private final Database db;

    public AuditLog(Database db) {
        this.db = db;
    }

    public void insert(AuditEntry e) {
        db.update("INSERT INTO audit_log (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", e.id(), e.createdAtMillis(),
                e.subject(), e.authMethod(), e.address(), e.method(), e.path(), e.resourceType(), e.resourceId(), e.status(),
                e.before() == null ? "" : Json.write(e.before()), e.after() == null ? "" : Json.write(e.after()));
    }

    /** Up to {@code limit} entries after {@code after} (null: from the newest), newest first. */
    public Page page(Filter f, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (f.subject() != null && !f.subject().isEmpty()) {
            sql.append(" AND subject=?");
            params.add(f.subject());
        }
        if (f.resourceType() != null && !f.resourceType().isEmpty()) {
            sql.append(" AND resource_type=?");
            params.add(f.resourceType());
        }
        if (f.resourceId() != null && !f.resourceId().isEmpty()) {
            sql.append(" AND resource_id=?");
            params.add(f.resourceId());
        }
        if (f.startMillis() > 0) {
            sql.append(" AND created_at>=?");
            params.add(f.startMillis());
        }
        if (f.endMillis() > 0) {
            sql.append(" AND created_at<?");
            params.add(f.endMillis());
        }
        if (after != null) {
            sql.append(" AND (created_at<? OR (created_at=? AND id<?))");
            params.add(after.createdAtMillis());
            params.add(after.createdAtMillis());
            params.add(after.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        params.add(limit + 1);
        List<AuditEntry> rows = db.query(sql.toString(), AuditLog::map, params.toArray());
        if (rows.size() <= limit) return new Page(rows, Optional.empty());
        List<AuditEntry> page = List.copyOf(rows.subList(0, limit));
        AuditEntry last = page.get(page.size() - 1);
        return new Page(page, Optional.of(new Cursor(last.createdAtMillis(), last.id())));
    }

    private static AuditEntry map(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getString("id"), rs.getLong("created_at"), rs.getString("subject"), rs.getString("auth_method"),
                rs.getString("address"), rs.getString("method"), rs.getString("path"), rs.getString("resource_type"),
                rs.getString("resource_id"), rs.getInt("status"), tree(rs.getString("before_json")),
                tree(rs.getString("after_json")));
    }

    private static JsonNode tree(String json) {
        return json == null || json.isEmpty() ? null : Json.read(json, JsonNode.class);
    }
}
