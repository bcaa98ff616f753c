package io.bricksllm.admin.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.store.Json;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/**
 * {@code GET /api/audit-log?subject=&resourceType=&resourceId=&start=&end=&limit=&cursor=}: changes newest first;
 * start (inclusive) and end (exclusive) in Unix seconds as for events; {@code limit} 1..1000 (default 100); when more
 * remain, {@code X-Next-Cursor} holds the cursor of the next page.
 */
public final class AuditAdmin implements AdminResource {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AuditLog log;

    public AuditAdmin(AuditLog log) {
        this.log = log;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.GET, "/api/audit-log", this::list);
    }

    AdminReply list(AdminRequest req) {
        long start = seconds(req, "start");
        long end = seconds(req, "end");
        if (start > 0 && end > 0 && start >= end) throw AdminError.validation("start must be smaller than end");
        int limit = limit(req.queryFirst("limit"));
        String cursorText = req.queryFirst("cursor");
        AuditLog.Cursor after = null;
        if (cursorText != null && !cursorText.isEmpty()) {
            after = AuditLog.Cursor.decode(cursorText).orElseThrow(() -> AdminError.validation("cursor is not a cursor of the audit log"));
        }
        AuditLog.Page page = log.page(new AuditLog.Filter(req.queryFirst("subject"), req.queryFirst("resourceType"),
                req.queryFirst("resourceId"), start * 1000, end * 1000), after, limit);
        Map<String, String> headers = page.next().map(c -> Map.of("X-Next-Cursor", c.encode())).orElse(Map.of());
        byte[] body = Json.write(page.entries().stream().map(AuditAdmin::view).toList()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return AdminReply.stream("application/json", headers, out -> out.write(body));
    }

    private static ObjectNode view(AuditEntry e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", e.id());
        n.put("createdAt", e.createdAtMillis() / 1000);
        n.put("createdAtMillis", e.createdAtMillis());
        n.put("subject", e.subject());
        n.put("authMethod", e.authMethod());
        n.put("address", e.address());
        n.put("method", e.method());
        n.put("path", e.path());
        n.put("resourceType", e.resourceType());
        n.put("resourceId", e.resourceId());
        n.put("status", e.status());
        n.set("before", e.before());
        n.set("after", e.after());
        return n;
    }

    private static long seconds(AdminRequest req, String name) {
        String v = req.queryFirst(name);
        if (v == null || v.isEmpty()) return 0;
        try {
            long s = Long.parseLong(v);
            if (s >= 0 && s < 100_000_000_000L) return s;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw AdminError.validation(name + " must be Unix seconds, got \"" + v + "\"");
    }

    private static int limit(String v) {
        if (v == null || v.isEmpty()) return DEFAULT_LIMIT;
        try {
            int l = Integer.parseInt(v);
            if (l >= 1 && l <= MAX_LIMIT) return l;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw AdminError.validation("limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}
