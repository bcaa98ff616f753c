package io.bricksllm.proxy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the gateway learned from a request body: the model, whether a stream was asked for, the
 * end-user id, the output-token cap (for budget reservations) and the parsed JSON (null for non-JSON).
 */
public record RequestInfo(String model, boolean stream, String userId, boolean includeUsageRequested,
                          long maxOutputTokens, JsonNode json) {
    public static final RequestInfo NONE = new RequestInfo("", false, "", false, 0, null);
}
