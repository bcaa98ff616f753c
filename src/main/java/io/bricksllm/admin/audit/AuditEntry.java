package io.bricksllm.admin.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One change made through the admin API: who ({@code subject}, {@code authMethod}), when ({@code createdAtMillis}), from
 * where ({@code address}), what ({@code method}, {@code path}, {@code resourceType}, {@code resourceId}, the answer's
 * {@code status}) and the resource before and after, secrets masked (null: none, as before a create or after a delete).
 */
public record AuditEntry(String id, long createdAtMillis, String subject, String authMethod, String address, String method,
                         String path, String resourceType, String resourceId, int status, JsonNode before, JsonNode after) {}
