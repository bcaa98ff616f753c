package io.bricksllm.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.store.Json;

/**
 * A refusal of an admin call, written as {@code {status,title,type,detail,instance}} with a real HTTP status.
 * Thrown by resources; {@link AdminServer} writes it.
 */
public final class AdminError extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;

    public AdminError(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static AdminError validation(String detail) {
        return new AdminError(400, "/errors/validation", "request validation failed", detail);
    }

    public static AdminError badJson(String detail) {
        return new AdminError(400, "/errors/json-unmarshal", "request body is not valid JSON for this call", detail);
    }

    public static AdminError notFound(String detail) {
        return notFound("not found", detail);
    }

    /** The original names the failed operation in the title (e.g. "update key failed"); clients may match on it. */
    public static AdminError notFound(String title, String detail) {
        return new AdminError(404, "/errors/not-found", title, detail);
    }

    public static AdminError conflict(String detail) {
        return new AdminError(409, "/errors/conflict", "conflict", detail);
    }

    public static AdminError missingFilters(String detail) {
        return new AdminError(400, "/errors/missing-filteres", "filters are not found", detail);
    }

    /** The error as the admin API writes it; {@code instance} is the route template (or the path). */
    public String toJson(String instance) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", status);
        body.put("title", title);
        body.put("type", type);
        body.put("detail", detail());
        body.put("instance", instance);
        return body.toString();
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
