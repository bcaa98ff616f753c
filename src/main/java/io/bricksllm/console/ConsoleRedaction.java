package io.bricksllm.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.store.Json;

/**
 * What the admin API leaves out of its answers to the console (requests with {@code X-Bricks-Console: 1}, issue 21.6):
 * a gateway key's stored secret (its hash, or the key itself when stored unhashed) never reaches a browser. The
 * console generates a new key's secret in the browser and shows it there, so it never needs the answer's.
 */
public final class ConsoleRedaction {
    public static final String HEADER = "X-Bricks-Console";

    private ConsoleRedaction() {}

    /** {@code body} as a JSON tree without the {@code key} field of any object that has a {@code keyId}. */
    public static JsonNode withoutKeySecrets(Object body) {
        JsonNode tree = Json.MAPPER.valueToTree(body);
        strip(tree);
        return tree;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o && o.has("keyId")) o.remove("key");
        for (JsonNode child : node) strip(child);
    }
}
