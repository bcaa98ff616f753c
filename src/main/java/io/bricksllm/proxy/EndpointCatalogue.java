package io.bricksllm.proxy;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a request to its {@link Endpoint}. Templates are split into segments once; a request is
 * compared only with templates of the same method and segment count, literal segments first.
 */
public final class EndpointCatalogue {
    private record Compiled(Endpoint endpoint, String[] segments) {}

    private final Map<String, List<Compiled>> byMethodAndLength = new HashMap<>();
    public EndpointCatalogue(List<Endpoint> endpoints) {
        for (Endpoint e : endpoints) {
            String[] segs = split(e.template());
            byMethodAndLength.computeIfAbsent(e.method().name() + segs.length, k -> new ArrayList<>()).add(new Compiled(e, segs));
        }
        // Literal templates win over parameterised ones of the same shape (e.g. /threads/runs vs /threads/:id).
        byMethodAndLength.values().forEach(list -> list.sort((a, b) -> Integer.compare(paramCount(a.segments), paramCount(b.segments))));
    }

    /** The endpoint serving {@code method} and {@code path}; path parameters are forwarded as sent, not extracted. */
    public Optional<Endpoint> match(HttpMethod method, String path) {
        String[] segs = split(path);
        List<Compiled> candidates = byMethodAndLength.get(method.name() + segs.length);
        if (candidates == null) return Optional.empty();
        outer:
        for (Compiled c : candidates) {
            for (int i = 0; i < segs.length; i++) {
                String t = c.segments[i];
                if (t.startsWith(":") ? segs[i].isEmpty() : !t.equals(segs[i])) continue outer;
            }
            return Optional.of(c.endpoint);
        }
        return Optional.empty();
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.split("/", -1);
    }

    private static int paramCount(String[] segs) {
        int n = 0;
        for (String s : segs) if (s.startsWith(":")) n++;
        return n;
    }
}
