package io.bricksllm.provider.custom;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of gjson paths custom providers use: dot-separated keys, array indices, and {@code #} to map
 * over every element of an array ({@code messages.#.content}, {@code choices.0.text}).
 */
public final class GjsonPath {
    private GjsonPath() {}

    public static List<JsonNode> select(JsonNode root, String path) {
        List<JsonNode> current = new ArrayList<>();
        if (root == null || path == null || path.isEmpty()) return current;
        current.add(root);
        for (String seg : path.split("\\.")) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                if (seg.equals("#")) {
                    if (n.isArray()) n.forEach(next::add);
                } else if (n.isArray() && seg.chars().allMatch(Character::isDigit)) {
                    JsonNode e = n.get(Integer.parseInt(seg));
                    if (e != null) next.add(e);
                } else if (n.isObject()) {
                    JsonNode e = n.get(seg);
                    if (e != null && !e.isMissingNode()) next.add(e);
                }
            }
            current = next;
        }
        return current;
    }

    /** Every string found at the path, joined with newlines (what gets token-counted). */
    public static String text(JsonNode root, String path) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : select(root, path)) {
            if (n.isTextual()) {
                if (!sb.isEmpty()) sb.append('\n');
                sb.append(n.asText());
            }
        }
        return sb.toString();
    }

    public static String firstText(JsonNode root, String path) {
        for (JsonNode n : select(root, path)) if (n.isTextual()) return n.asText();
        return "";
    }

    public static boolean firstBoolean(JsonNode root, String path) {
        for (JsonNode n : select(root, path)) if (n.isBoolean()) return n.asBoolean();
        return false;
    }
}
