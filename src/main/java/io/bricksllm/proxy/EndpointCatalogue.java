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
 * A parameter may end in a literal suffix that starts with a colon, as Google's custom methods do:
 * {@code :model:generateContent} matches {@code gemini-2.5-flash:generateContent}.
 */
public final class EndpointCatalogue {
    /** {@code suffixes[i]}: the literal end of parameter segment {@code i} ("" for a plain parameter, null for a literal). */
    private record Compiled(Endpoint endpoint, String[] segments, String[] suffixes) {}

    private final Map<String, List<Compiled>> byMethodAndLength = new HashMap<>();
    public EndpointCatalogue(List<Endpoint> endpoints) {
        for (Endpoint e : endpoints) {
            String[] segs = split(e.template());
            byMethodAndLength.computeIfAbsent(e.method().name() + segs.length, k -> new ArrayList<>()).add(new Compiled(e, segs, suffixes(segs)));
        }
        // Literal templates win over parameterised ones of the same shape (e.g. /threads/runs vs /threads/:id), and a
        // parameter with a suffix over a plain one (:model:countTokens vs :model).
        byMethodAndLength.values().forEach(list -> list.sort(java.util.Comparator.<Compiled>comparingInt(c -> paramCount(c.segments))
                .thenComparingInt(c -> -suffixLength(c.suffixes))));
    }

    /** The endpoint serving {@code method} and {@code path}; path parameters are forwarded as sent, not extracted. */
    public Optional<Endpoint> match(HttpMethod method, String path) {
        String[] segs = split(path);
        List<Compiled> candidates = byMethodAndLength.get(method.name() + segs.length);
        if (candidates == null) return Optional.empty();
        outer:
        for (Compiled c : candidates) {
            for (int i = 0; i < segs.length; i++) {
                String suffix = c.suffixes[i];
                boolean fits = suffix == null ? c.segments[i].equals(segs[i])
                        : segs[i].length() > suffix.length() && segs[i].endsWith(suffix);
                if (!fits) continue outer;
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

    private static String[] suffixes(String[] segs) {
        String[] out = new String[segs.length];
        for (int i = 0; i < segs.length; i++) {
            if (!segs[i].startsWith(":")) continue;
            int colon = segs[i].indexOf(':', 1);
            out[i] = colon < 0 ? "" : segs[i].substring(colon);
        }
        return out;
    }

    private static int suffixLength(String[] suffixes) {
        int n = 0;
        for (String s : suffixes) if (s != null) n += s.length();
        return n;
    }

    private static int paramCount(String[] segs) {
        int n = 0;
        for (String s : segs) if (s.startsWith(":")) n++;
        return n;
    }
}
