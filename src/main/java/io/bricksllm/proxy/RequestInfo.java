package io.bricksllm.proxy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the gateway learned from a request body: the model, whether a stream was asked for, the
 * end-user id, the output-token cap (for budget reservations), whether the body has {@code stream_options},
 * and the body's JSON tree (null for non-JSON), which is built only when first asked for on big bodies.
 */
public record RequestInfo(String model, boolean stream, String userId, boolean includeUsageRequested,
                          long maxOutputTokens, boolean hasStreamOptions, JsonTree tree) {
    public static final RequestInfo NONE = new RequestInfo("", false, "", false, 0, false, null);

    /** From a tree already built (route steps, custom providers, tests). */
    public RequestInfo(String model, boolean stream, String userId, boolean includeUsageRequested,
                       long maxOutputTokens, JsonNode json) {
        this(model, stream, userId, includeUsageRequested, maxOutputTokens, json != null && json.has("stream_options"),
                json == null ? null : JsonTree.of(json));
    }

    /** The same request naming {@code upstreamModel} (a unified request's model without its provider prefix). */
    public RequestInfo withModel(String upstreamModel) {
        return new RequestInfo(upstreamModel, stream, userId, includeUsageRequested, maxOutputTokens, hasStreamOptions, tree);
    }

    /** The same request with the body a policy rewrote (redacted), whose tree is parsed when first asked for. */
    public RequestInfo withBody(byte[] body) {
        return new RequestInfo(model, stream, userId, includeUsageRequested, maxOutputTokens, hasStreamOptions, JsonTree.lazy(body));
    }

    /** The body's JSON tree, or null when the body is not JSON; may parse the body on the first call. */
    public JsonNode json() {
        return tree == null ? null : tree.get();
    }

    /** Whether the body is a JSON object, without building its tree. */
    public boolean hasJson() {
        return tree != null;
    }
}
