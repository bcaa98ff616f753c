package io.bricksllm.proxy.forward;

import io.vertx.core.MultiMap;
import java.util.Map;

/**
 * Which headers cross the gateway. Hop-by-hop headers never do; the gateway's own headers and every
 * header that can carry a gateway key are removed before the provider credential is set.
 */
public final class HeaderRules {
    private static final HeaderNames HOP_BY_HOP = new HeaderNames("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade", "host", "content-length");
    /** Hop-by-hop, the gateway's own, and every header that can carry a gateway key. */
    private static final HeaderNames NOT_FORWARDED = HOP_BY_HOP.plus("authorization", "x-api-key", "api-key", "x-goog-api-key",
            "x-custom-event-id", "x-metadata", "x-request-timeout", "x-bricksllm-route-strategy", "accept-encoding");
    private static final HeaderNames NOT_FORWARDED_NOR_AGENT = NOT_FORWARDED.plus("user-agent");

    private final boolean removeUserAgent;

    public HeaderRules(boolean removeUserAgent) {
        this.removeUserAgent = removeUserAgent;
    }

    /** Caller headers that may go upstream. The upstream is asked for identity encoding so usage can be read. */
    public MultiMap upstreamHeaders(MultiMap caller) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        HeaderNames dropped = removeUserAgent ? NOT_FORWARDED_NOR_AGENT : NOT_FORWARDED;
        for (Map.Entry<String, String> h : caller) {
            if (!dropped.contains(h.getKey())) out.add(h.getKey(), h.getValue());
        }
        out.set("Accept-Encoding", "identity");
        return out;
    }

    /** Upstream response headers that go to the caller; {@code keepLength} false when the body is rewritten. */
    public static void copyResponseHeaders(MultiMap upstream, MultiMap client, boolean keepLength) {
        for (Map.Entry<String, String> h : upstream) {
            String name = h.getKey();
            if (HOP_BY_HOP.contains(name) && !(keepLength && name.equalsIgnoreCase("content-length"))) continue;
            client.add(name, h.getValue());
        }
    }
}
