package io.bricksllm.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.store.Json;
import java.io.IOException;
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

    /**
     * Writes what {@link #toJson(Event, boolean)} builds, field for field, straight to a generator: pages and exports
     * stream thousands of events, and building a tree and a byte array per event was most of their garbage (the
     * gateway runs at -Xmx192m). EventJsonTest checks that both give the same bytes.
     */
    public static void write(JsonGenerator g, Event e, boolean withBodies) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", e.id());
        g.writeNumberField("created_at", e.createdAt());
        g.writeArrayFieldStart("tags");
        for (String t : e.tags()) g.writeString(t);
        g.writeEndArray();
        g.writeStringField("key_id", e.keyId());
        g.writeNumberField("cost_in_usd", e.costInUsd());
        g.writeStringField("provider", e.provider());
        g.writeStringField("model", e.model());
        g.writeNumberField("status", e.status());
        g.writeNumberField("prompt_token_count", e.promptTokenCount());
        g.writeNumberField("completion_token_count", e.completionTokenCount());
        g.writeNumberField("cache_read_token_count", e.cacheReadTokenCount());
        g.writeNumberField("cache_write_token_count", e.cacheWriteTokenCount());
        g.writeNumberField("reasoning_token_count", e.reasoningTokenCount());
        g.writeNumberField("latency_in_ms", e.latencyInMs());
        g.writeStringField("path", e.path());
        g.writeStringField("method", e.method());
        g.writeStringField("custom_id", e.customId());
        if (withBodies) {
            g.writeStringField("request", body(e.request()));
            g.writeStringField("response", body(e.response()));
        }
        g.writeStringField("userId", e.userId());
        g.writeStringField("action", e.action());
        g.writeStringField("policyId", e.policyId());
        g.writeStringField("routeId", e.routeId());
        g.writeStringField("correlationId", e.correlationId());
        g.writeStringField("metadata", metadata(e.metadata()));
        g.writeBooleanField("unpriced", e.unpriced());
        if (!e.teamId().isEmpty()) g.writeStringField("teamId", e.teamId());
        if (!e.policyFindings().isEmpty()) g.writeStringField("policyFindings", e.policyFindings());
        if (!e.usageAnomaly().isEmpty()) g.writeStringField("usageAnomaly", e.usageAnomaly());
        if (e.routeStep() > 0) {
            g.writeNumberField("routeStep", e.routeStep());
            g.writeNumberField("routeAttempt", e.routeAttempt());
            if (!e.attemptReason().isEmpty()) g.writeStringField("attemptReason", e.attemptReason());
        }
        g.writeEndObject();
    }

    /** A generator over a streamed answer: no separator between root values (the caller writes its own), target left open. */
    public static JsonGenerator generator(java.io.OutputStream out) throws IOException {
        JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setRootValueSeparator(null);
        return g;
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
