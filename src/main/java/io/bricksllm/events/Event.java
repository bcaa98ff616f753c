package io.bricksllm.events;

import java.util.List;

/**
 * One proxied request, as recorded (BEHAVIOUR.md §3.10, §8). Bodies are raw bytes (null = not logged),
 * stored whatever their format. {@code metadata} is the raw X-METADATA header value (null = absent).
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
        boolean unpriced) {

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
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
