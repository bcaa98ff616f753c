package io.bricksllm.events;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One proxied request, as recorded (BEHAVIOUR.md §3.10, §8). Bodies are raw bytes (null = not logged),
 * stored whatever their format. {@code metadata} is the raw X-METADATA header value (null = absent).
 * {@code routeStep}/{@code routeAttempt} are 1-based for the attempts of a route, 0 otherwise.
 * {@code usageAnomaly} is empty, or which counts the upstream reported beyond the request's bounds
 * ({@code field:problem} items); the token counts and cost are then the bounded figures that were charged.
 * {@code cacheReadTokenCount}/{@code cacheWriteTokenCount} are details of {@code promptTokenCount} (prompt tokens
 * read from / written to the provider's prompt cache), {@code reasoningTokenCount} a detail of
 * {@code completionTokenCount}; 0 when the upstream reported none. {@code teamId} is the key's team when the request
 * was made ("" = none), so moving a key later does not move its past spend. {@code attemptReason} says why a route
 * attempt was made (initial, retry, failover, an error class, budget; "" otherwise).
 */
public record Event(
        String id,
        long createdAt,
        List<String> tags,
        String keyId,
        double costInUsd,
        String provider,
        String model,
        int status,
        long promptTokenCount,
        long completionTokenCount,
        long latencyInMs,
        String path,
        String method,
        String customId,
        byte[] request,
        byte[] response,
        String userId,
        String action,
        String policyId,
        String routeId,
        String correlationId,
        String metadata,
        boolean unpriced,
        int routeStep,
        int routeAttempt,
        String policyFindings,
        String usageAnomaly,
        long cacheReadTokenCount,
        long cacheWriteTokenCount,
        long reasoningTokenCount,
        String teamId,
        String attemptReason) {

    /** An event without an attempt reason (not a route attempt, or recorded before issue 22). */
    public Event(String id, long createdAt, List<String> tags, String keyId, double costInUsd, String provider, String model,
                 int status, long promptTokenCount, long completionTokenCount, long latencyInMs, String path, String method,
                 String customId, byte[] request, byte[] response, String userId, String action, String policyId,
                 String routeId, String correlationId, String metadata, boolean unpriced, int routeStep, int routeAttempt,
                 String policyFindings, String usageAnomaly, long cacheReadTokenCount, long cacheWriteTokenCount,
                 long reasoningTokenCount, String teamId) {
        this(id, createdAt, tags, keyId, costInUsd, provider, model, status, promptTokenCount, completionTokenCount,
                latencyInMs, path, method, customId, request, response, userId, action, policyId, routeId, correlationId,
                metadata, unpriced, routeStep, routeAttempt, policyFindings, usageAnomaly, cacheReadTokenCount,
                cacheWriteTokenCount, reasoningTokenCount, teamId, "");
    }

    /** An event of a key in no team. */
    public Event(String id, long createdAt, List<String> tags, String keyId, double costInUsd, String provider, String model,
                 int status, long promptTokenCount, long completionTokenCount, long latencyInMs, String path, String method,
                 String customId, byte[] request, byte[] response, String userId, String action, String policyId,
                 String routeId, String correlationId, String metadata, boolean unpriced, int routeStep, int routeAttempt,
                 String policyFindings, String usageAnomaly, long cacheReadTokenCount, long cacheWriteTokenCount,
                 long reasoningTokenCount) {
        this(id, createdAt, tags, keyId, costInUsd, provider, model, status, promptTokenCount, completionTokenCount,
                latencyInMs, path, method, customId, request, response, userId, action, policyId, routeId, correlationId,
                metadata, unpriced, routeStep, routeAttempt, policyFindings, usageAnomaly, cacheReadTokenCount,
                cacheWriteTokenCount, reasoningTokenCount, "");
    }

    /** An event that is not a route attempt. */
    public Event(String id, long createdAt, List<String> tags, String keyId, double costInUsd, String provider, String model,
                 int status, long promptTokenCount, long completionTokenCount, long latencyInMs, String path, String method,
                 String customId, byte[] request, byte[] response, String userId, String action, String policyId,
                 String routeId, String correlationId, String metadata, boolean unpriced) {
        this(id, createdAt, tags, keyId, costInUsd, provider, model, status, promptTokenCount, completionTokenCount,
                latencyInMs, path, method, customId, request, response, userId, action, policyId, routeId, correlationId,
                metadata, unpriced, 0, 0, "", "");
    }

    /** An event without token details (no cache use, no reasoning reported). */
    public Event(String id, long createdAt, List<String> tags, String keyId, double costInUsd, String provider, String model,
                 int status, long promptTokenCount, long completionTokenCount, long latencyInMs, String path, String method,
                 String customId, byte[] request, byte[] response, String userId, String action, String policyId,
                 String routeId, String correlationId, String metadata, boolean unpriced, int routeStep, int routeAttempt,
                 String policyFindings, String usageAnomaly) {
        this(id, createdAt, tags, keyId, costInUsd, provider, model, status, promptTokenCount, completionTokenCount,
                latencyInMs, path, method, customId, request, response, userId, action, policyId, routeId, correlationId,
                metadata, unpriced, routeStep, routeAttempt, policyFindings, usageAnomaly, 0, 0, 0);
    }

    public Event {
        tags = tags == null ? List.of() : List.copyOf(tags);
        keyId = nz(keyId);
        provider = nz(provider);
        model = nz(model);
        path = nz(path);
        method = nz(method);
        customId = nz(customId);
        userId = nz(userId);
        action = nz(action);
        policyId = nz(policyId);
        routeId = nz(routeId);
        correlationId = nz(correlationId);
        policyFindings = nz(policyFindings);
        usageAnomaly = nz(usageAnomaly);
        teamId = nz(teamId);
        attemptReason = nz(attemptReason);
    }

    /**
     * A new event id: a UUID version 7 (RFC 9562), whose first 48 bits are the Unix time in milliseconds,
     * so ids of successive events sort together and primary-key inserts touch few index pages
     * (about twice the insert rate of random UUIDs on SQLite, measured). 74 random bits per millisecond.
     */
    public static String newId() {
        return newId(System.currentTimeMillis()).toString();
    }

    static UUID newId(long epochMillis) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (r.nextLong() & 0x0FFFL);
        long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
