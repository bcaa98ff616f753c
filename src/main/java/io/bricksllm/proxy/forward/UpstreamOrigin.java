package io.bricksllm.proxy.forward;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;

/** Scheme, host and port of an upstream, parsed once per distinct origin instead of once per request. */
public record UpstreamOrigin(boolean ssl, String host, int port) {

    static UpstreamOrigin parse(String origin) {
        URI u = URI.create(origin);
        boolean ssl = "https".equalsIgnoreCase(u.getScheme());
        int port = u.getPort() > 0 ? u.getPort() : (ssl ? 443 : 80);
        return new UpstreamOrigin(ssl, u.getHost(), port);
    }

    /** Origins come from provider settings, so there are few; the bound only guards against surprises. */
    static final class Cache {
        private static final int MAX = 10_000;
        private final ConcurrentHashMap<String, UpstreamOrigin> byOrigin = new ConcurrentHashMap<>();

        UpstreamOrigin of(String origin) {
            UpstreamOrigin o = byOrigin.get(origin);
            if (o != null) return o;
            if (byOrigin.size() > MAX) byOrigin.clear();
            return byOrigin.computeIfAbsent(origin, UpstreamOrigin::parse);
        }
    }
}
