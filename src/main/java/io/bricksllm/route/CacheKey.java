package io.bricksllm.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.store.Json;
import io.bricksllm.store.Route;
import io.bricksllm.store.SecretHash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The cache key of a route request: the route (and its version, so an edited route starts afresh) and the
 * whole request body in canonical form — model, messages/input, sampling parameters, tools, response
 * format and user all change the answer, so all of them are in the key (the original ignored most).
 */
public final class CacheKey {
    private CacheKey() {}

    public static String of(Route route, JsonNode body) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(route.id()).append('|').append(route.updatedAt()).append('|');
        canonical(body, sb);
        return SecretHash.sha256Hex(sb.toString());
    }

    static void canonical(JsonNode n, StringBuilder sb) {
        if (n == null) {
            sb.append("null");
        } else if (n.isObject()) {
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            sb.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(Json.write(names.get(i))).append(':');
                canonical(((ObjectNode) n).get(names.get(i)), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) sb.append(',');
                canonical(n.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(n.toString());
        }
    }
}
