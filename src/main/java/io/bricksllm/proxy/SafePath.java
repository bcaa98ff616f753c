package io.bricksllm.proxy;

/**
 * Refuses request paths that an upstream could resolve to somewhere else than the endpoint the gateway matched:
 * dot segments ({@code .}, {@code ..}) and segments that hide a separator, whether written plainly or
 * percent-encoded (once or several times: {@code %2e%2e}, {@code %252e}, {@code %2f}, {@code %5c}). Path
 * parameters are forwarded as sent, so {@code /v1/models/..} would otherwise leave as {@code /v1}.
 */
public final class SafePath {
    private static final int MAX_DECODINGS = 3;

    private SafePath() {}

    public static boolean safe(String path) {
        if (path.indexOf('\\') >= 0) return false;
        if (path.indexOf('.') < 0 && path.indexOf('%') < 0) return true; // the common case: nothing to look at
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) end = path.length();
            if (!safeSegment(path.substring(start, end))) return false;
            start = end + 1;
        }
        return true;
    }

    private static boolean safeSegment(String segment) {
        String s = segment;
        for (int i = 0; i <= MAX_DECODINGS; i++) {
            if (s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0) return false;
            if (s.indexOf('%') < 0) return true;
            String decoded = percentDecode(s);
            if (decoded == null) return false; // malformed escapes: no upstream would read them the same way
            if (decoded.equals(s)) return true;
            s = decoded;
        }
        return false; // still encoded after several decodings: refuse rather than guess
    }

    /** Percent-decodes ASCII escapes; null when an escape is malformed. Non-ASCII escapes are kept as they are. */
    private static String percentDecode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            if (i + 2 >= s.length()) return null;
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) return null;
            int v = hi * 16 + lo;
            if (v < 0x80) {
                b.append((char) v);
            } else {
                b.append(s, i, i + 3);
            }
            i += 2;
        }
        return b.toString();
    }
}
