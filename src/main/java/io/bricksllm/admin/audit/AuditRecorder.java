package io.bricksllm.admin.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.auth.Principal;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit row of an admin change, in the same request, after the change succeeded: the resource as it was
 * (read before the change by its type's loader) and as the answer shows it, both masked ({@link AuditMasking}).
 * Blocking: worker threads only.
 */
public final class AuditRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRecorder.class);


    private final AuditLog log;
    private final Map<String, Function<String, Optional<?>>> loaders;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();

    public AuditRecorder(AuditLog log, Map<String, Function<String, Optional<?>>> loaders, Clock clock) {
        this.log = log;
        this.loaders = Map.copyOf(loaders);
        this.clock = clock;
    }

    public AuditLog log() {
        return log;
    }

    /** The resource before the change (masked), when the route names it by path id and its type has a loader. */
    public JsonNode before(String resourceType, AdminRequest request) {
        String id = request.pathParam("id");
        Function<String, Optional<?>> loader = loaders.get(resourceType);
        if (id.isEmpty() || loader == null) return null;
        return loader.apply(id).map(AuditMasking::masked).orElse(null);
    }

    /**
     * Rows sort by (created_at, id) newest first: an id that grows with each row of this instance keeps two changes
     * in the same millisecond in the order they were made; the random tail keeps ids of instances apart.
     */
    private String rowId(long millis) {
        return String.format("%013d%07d-%s", millis, sequence.incrementAndGet() % 10_000_000,
                UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * Records a change that succeeded. A failure to write the row is logged, not answered: the change itself is done
     * and the caller must not retry it because of the log.
     */
    public void record(Principal who, String address, String method, String path, String resourceType,
                       AdminRequest request, JsonNode before, AdminReply reply) {
        try {
            JsonNode after = reply.empty() || reply.body() == null || "DELETE".equals(method) ? null : AuditMasking.masked(reply.body());
            String id = request.pathParam("id");
            if (id.isEmpty() && after != null) id = after.path("keyId").asText(after.path("id").asText(""));
            long now = clock.millis();
            log.insert(new AuditEntry(rowId(now), now, who.subject(), who.method().label(),
                    address, method, path, resourceType, id, reply.status(), before, after));
        } catch (RuntimeException e) {
            LOG.error("audit log: cannot record {} {} by {}", method, path, who.subject(), e);
        }
    }
}
