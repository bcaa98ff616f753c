package io.bricksllm.proxy.forward;

import io.bricksllm.store.ConfigSnapshot;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Removes credentials from a query string before it is forwarded. The SDKs of the providers the gateway serves send
 * their key in headers (OpenAI and vLLM: {@code Authorization}; Azure: {@code api-key}; Anthropic: {@code x-api-key};
 * Gemini: {@code x-goog-api-key}), and the gateway takes a key from the query only on Gemini's native paths, where
 * Google's REST documentation puts it in {@code ?key=}. Either way a key in the query must never reach the upstream
 * (the provider credential goes in a header): parameters with a credential's usual name, and any parameter whose value
 * is one of the gateway's keys, are dropped.
 */
final class QueryKeys {
    private static final Set<String> CREDENTIAL_NAMES = Set.of("key", "api_key", "api-key", "apikey", "x-api-key",
            "access_token", "token", "authorization");

    private QueryKeys() {}

    /** The query without credentials; null or empty stays as it is. */
    static String strip(String query, ConfigSnapshot config) {
        if (query == null || query.isEmpty()) return query;
        StringBuilder kept = null;
        int start = 0;
        boolean dropped = false;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) end = query.length();
            String pair = query.substring(start, end);
            if (credential(pair, config)) {
                dropped = true;
            } else if (!pair.isEmpty()) {
                if (kept == null) kept = new StringBuilder(query.length());
                else kept.append('&');
                kept.append(pair);
            }
            start = end + 1;
        }
        if (!dropped) return query;
        return kept == null ? "" : kept.toString();
    }

    private static boolean credential(String pair, ConfigSnapshot config) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        if (name == null || CREDENTIAL_NAMES.contains(name.toLowerCase(Locale.ROOT))) return true;
        if (eq < 0) return false;
        String value = decode(pair.substring(eq + 1));
        if (value == null) return true; // unreadable: do not forward what we cannot check
        return !value.isEmpty() && config != null && config.isGatewaySecret(value.trim());
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
