package io.bricksllm.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Size limits every admin body must keep, checked on the parsed tree before binding so that one rule covers
 * every endpoint: a list (ids, steps, rules, paths…) holds at most {@value #MAX_ITEMS} entries and an object at
 * most {@value #MAX_FIELDS} fields; a {@code tags} list at most {@value #MAX_TAGS} tags of at most
 * {@value #MAX_TAG_LENGTH} characters each. Beyond them the body is a mistake (or an attack), not configuration.
 */
final class BodyLimits {
    static final int MAX_ITEMS = 1_000;
    static final int MAX_FIELDS = 1_000;
    static final int MAX_TAGS = 100;
    static final int MAX_TAG_LENGTH = 255;

    private BodyLimits() {}

    static void check(JsonNode body) {
        check(body, "");
    }

    private static void check(JsonNode node, String path) {
        if (node.isArray()) {
            boolean tags = path.equals("tags") || path.endsWith(".tags");
            int max = tags ? MAX_TAGS : MAX_ITEMS;
            if (node.size() > max) {
                throw AdminError.validation("field " + path + " has " + node.size() + " entries; at most " + max + " are allowed");
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (tags && item.isTextual() && item.textValue().length() > MAX_TAG_LENGTH) {
                    throw AdminError.validation("field " + path + "[" + i + "] is longer than " + MAX_TAG_LENGTH + " characters");
                }
                if (item.isContainerNode()) check(item, path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            if (node.size() > MAX_FIELDS) {
                throw AdminError.validation("field " + (path.isEmpty() ? "(body)" : path) + " has " + node.size()
                        + " fields; at most " + MAX_FIELDS + " are allowed");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isContainerNode()) check(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            }
        }
    }
}
