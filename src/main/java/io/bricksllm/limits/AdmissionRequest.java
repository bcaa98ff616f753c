package io.bricksllm.limits;

import java.time.Instant;
import java.util.List;

/**
 * What one request asks of every level that applies, at once: a request slot where a level counts requests,
 * {@code tokens} where it counts tokens, {@code costMicros} where it has a budget, a concurrency slot where it caps
 * requests in flight. Levels in the order team, key, user; only levels with at least one limit.
 */
public record AdmissionRequest(List<LevelLimits> levels, long costMicros, long tokens, Instant now) {
    public AdmissionRequest {
        levels = List.copyOf(levels);
        costMicros = Math.max(0, costMicros);
        tokens = Math.max(0, tokens);
    }
}
