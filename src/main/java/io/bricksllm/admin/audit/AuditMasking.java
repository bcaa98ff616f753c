package io.bricksllm.admin.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.store.Json;
import io.bricksllm.store.SecretMasking;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Masks secrets in a resource's JSON before it is stored in the audit log or shown to a browser, with
 * {@link SecretMasking#maskValue}: a key's stored secret or hash ({@code key}, {@code previousKey} of an object with a
 * {@code keyId}), every value of a provider setting's {@code setting} map, and any field whose name says it is a
 * secret (secret, password, apikey, token). Conservative: a URL inside a provider setting is masked too.
 */
public final class AuditMasking {
    private AuditMasking() {}

    /** A masked copy of {@code value} as a JSON tree; null stays null. */
    public static JsonNode masked(Object value) {
        if (value == null) return null;
        JsonNode tree = value instanceof JsonNode n ? n.deepCopy() : Json.MAPPER.valueToTree(value);
        mask(tree);
        return tree;
    }

    /**
     * Only the keys' stored secrets and hashes masked (what a browser must never receive; provider settings are masked
     * by their own admin already); {@code value} itself when there is nothing to mask.
     */
    public static Object keySecrets(Object value) {
        if (value == null) return null;
        JsonNode tree = value instanceof JsonNode n ? n.deepCopy() : Json.MAPPER.valueToTree(value);
        maskKeys(tree);
        return tree;
    }

    private static void maskKeys(JsonNode node) {
        if (node.isArray()) {
            node.forEach(AuditMasking::maskKeys);
        } else if (node instanceof ObjectNode obj) {
            if (obj.has("keyId")) {
                for (String f : List.of("key", "previousKey")) {
                    if (obj.get(f) != null && obj.get(f).isTextual()) obj.put(f, SecretMasking.maskValue(obj.get(f).asText()));
                }
            }
            obj.forEach(AuditMasking::maskKeys);
        }
    }

    private static void mask(JsonNode node) {
        if (node.isArray()) {
            node.forEach(AuditMasking::mask);
            return;
        }
        if (!(node instanceof ObjectNode obj)) return;
        boolean isKey = obj.has("keyId");
        List<String> names = new ArrayList<>();
        obj.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode v = obj.get(name);
            if (isKey && (name.equals("key") || name.equals("previousKey")) && v.isTextual()) {
                obj.put(name, SecretMasking.maskValue(v.asText()));
            } else if (name.equals("setting") && v instanceof ObjectNode setting) {
                List<String> fields = new ArrayList<>();
                setting.fieldNames().forEachRemaining(fields::add);
                for (String f : fields) setting.put(f, SecretMasking.maskValue(setting.get(f).asText("")));
            } else if (secretName(name) && v.isTextual()) {
                obj.put(name, SecretMasking.maskValue(v.asText()));
            } else {
                mask(v);
            }
        }
    }

    private static boolean secretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("secret") || n.contains("password") || n.contains("apikey") || n.contains("api_key")
                || n.equals("token") || n.endsWith("_token") || n.endsWith("token") && !n.contains("tokens");
    }
}
