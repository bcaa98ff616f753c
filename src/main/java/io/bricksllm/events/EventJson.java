package io.bricksllm.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.store.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * An event as the original's admin API shows it (BEHAVIOUR.md §3.10; mixed snake_case and camelCase),
 * plus our {@code unpriced} flag and the token details ({@code cache_read_token_count},
 * {@code cache_write_token_count}, {@code reasoning_token_count}; named like the original's token counts). Bodies and metadata are base64 strings, as Go encodes {@code []byte}.
 */
public final class EventJson {
    /** base64 of {@code {}}: what an absent body or absent metadata reads as. */
    static final String EMPTY_OBJECT_BASE64 = "e30=";

    private EventJson() {}

    public static ObjectNode toJson(Event e) {
        return toJson(e, true);
    }

    /** Without {@code request}/{@code response} at all when {@code withBodies} is false (an export without bodies). */
    public static ObjectNode toJson(Event e, boolean withBodies) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", e.id());
        n.put("created_at", e.createdAt());
        ArrayNode tags = n.putArray("tags");
        e.tags().forEach(tags::add);
        n.put("key_id", e.keyId());
        n.put("cost_in_usd", e.costInUsd());
        n.put("provider", e.provider());
        n.put("model", e.model());
        n.put("status", e.status());
        n.put("prompt_token_count", e.promptTokenCount());
        n.put("completion_token_count", e.completionTokenCount());
        n.put("cache_read_token_count", e.cacheReadTokenCount());
        n.put("cache_write_token_count", e.cacheWriteTokenCount());
        n.put("reasoning_token_count", e.reasoningTokenCount());
        n.put("latency_in_ms", e.latencyInMs());
        n.put("path", e.path());
        n.put("method", e.method());
        n.put("custom_id", e.customId());
        if (withBodies) {
            n.put("request", body(e.request()));
            n.put("response", body(e.response()));
        }
        n.put("userId", e.userId());
        n.put("action", e.action());
        n.put("policyId", e.policyId());
        n.put("routeId", e.routeId());
        n.put("correlationId", e.correlationId());
        n.put("metadata", metadata(e.metadata()));
        n.put("unpriced", e.unpriced());
        if (!e.teamId().isEmpty()) n.put("teamId", e.teamId());
        if (!e.policyFindings().isEmpty()) n.put("policyFindings", e.policyFindings());
        if (!e.usageAnomaly().isEmpty()) n.put("usageAnomaly", e.usageAnomaly());
        if (e.routeStep() > 0) {
            n.put("routeStep", e.routeStep());
            n.put("routeAttempt", e.routeAttempt());
            if (!e.attemptReason().isEmpty()) n.put("attemptReason", e.attemptReason());
        }
        return n;
    }

    public static ArrayNode toJson(List<Event> events) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Event e : events) a.add(toJson(e));
        return a;
    }

    /** base64 of the stored bytes, whatever their format; {@code {}} when the body was not logged. */
    static String body(byte[] bytes) {
        return bytes == null ? EMPTY_OBJECT_BASE64 : Base64.getEncoder().encodeToString(bytes);
    }

    /** base64 of JSON: {@code {}} when X-METADATA was absent, else the header value as a JSON string literal. */
    static String metadata(String raw) {
        if (raw == null) return EMPTY_OBJECT_BASE64;
        return Base64.getEncoder().encodeToString(Json.write(raw).getBytes(StandardCharsets.UTF_8));
    }
}
