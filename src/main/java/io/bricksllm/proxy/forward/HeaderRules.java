package io.bricksllm.proxy.forward;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers cross the gateway. Hop-by-hop headers never do; the gateway's own headers and every
 * header that can carry a gateway key are removed before the provider credential is set.
 */
public final class HeaderRules {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade", "host", "content-length");
    private static final Set<String> GATEWAY_ONLY = Set.of("authorization", "x-api-key", "api-key", "x-custom-event-id",
            "x-metadata", "x-request-timeout", "accept-encoding");

    private final boolean removeUserAgent;

    public HeaderRules(boolean removeUserAgent) {
        this.removeUserAgent = removeUserAgent;
    }

    /** Caller headers that may go upstream. The upstream is asked for identity encoding so usage can be read. */
    public MultiMap upstreamHeaders(MultiMap caller) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> h : caller) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || GATEWAY_ONLY.contains(name)) continue;
            if (removeUserAgent && name.equals("user-agent")) continue;
            out.add(h.getKey(), h.getValue());
        }
        out.set("Accept-Encoding", "identity");
        return out;
    }

    /** Upstream response headers that go to the caller; {@code keepLength} false when the body is rewritten. */
    public static void copyResponseHeaders(MultiMap upstream, MultiMap client, boolean keepLength) {
        for (Map.Entry<String, String> h : upstream) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) && !(keepLength && name.equals("content-length"))) continue;
            client.add(h.getKey(), h.getValue());
        }
    }
}
