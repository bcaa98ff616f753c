package io.bricksllm.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import java.io.IOException;

/**
 * A request body's JSON tree, built at once for small bodies (one parse serves inspection and every later use)
 * and on first use for big ones, whose tree costs several times their size in heap and is needed only by a few
 * consumers (route steps, custom providers, counting tokens when the upstream reports none).
 */
public final class JsonTree {
    private final byte[] source;
    private volatile JsonNode tree;

    private JsonTree(byte[] source, JsonNode tree) {
        this.source = source;
        this.tree = tree;
    }

    public static JsonTree of(JsonNode tree) {
        return new JsonTree(null, tree);
    }

    /** {@code source} was already checked to be a JSON object; it is parsed when {@link #get()} is first called. */
    static JsonTree lazy(byte[] source) {
        return new JsonTree(source, null);
    }

    /** The tree, memoised; null if the body cannot be represented as a tree (e.g. a string over Jackson's limits). */
    public JsonNode get() {
        JsonNode t = tree;
        if (t == null && source != null) {
            try {
                t = Json.MAPPER.readTree(source);
            } catch (IOException e) {
                return null;
            }
            tree = t;
        }
        return t;
    }
}
