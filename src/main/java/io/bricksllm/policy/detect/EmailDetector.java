package io.bricksllm.policy.detect;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * E-mail addresses: a dot-atom local part, '@', and a domain of at least two labels ending in an
 * alphabetic top-level domain ("pkg@1.2.3", "user@localhost" and "icon@2x.png" are not addresses).
 */
final class EmailDetector extends LocalDetector {

    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 253;
    /** File extensions that look like top-level domains after '@' ("logo@2x.png"). */
    private static final Set<String> FILE_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff", "pdf", "css", "js", "ts", "tsx", "jsx",
            "json", "html", "htm", "txt", "md", "yml", "yaml", "xml", "csv", "java", "py", "go", "rs", "rb", "php", "mp3", "mp4");

    EmailDetector() {
        super(PiiEntity.EMAIL);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        String s = t.text;
        int floor = 0;
        for (int at = s.indexOf('@'); at >= 0; at = s.indexOf('@', at + 1)) {
            int start = localStart(t, at, floor);
            if (start < 0) continue;
            int end = domainEnd(t, at + 1);
            if (end < 0) continue;
            add(out, start, end);
            floor = end;
            at = end - 1;
        }
    }

    private static boolean isLocalChar(char c) {
        return ScanText.isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    /** Start of the local part ending just before '@', or -1. */
    private static int localStart(ScanText t, int at, int floor) {
        int i = at;
        while (i > floor && isLocalChar(t.charAt(i - 1))) {
            if (at - i == MAX_LOCAL) return -1;
            i--;
        }
        if (i > floor && ScanText.isWordChar(t.charAt(i - 1))) return -1; // non-ASCII letters glued on
        while (i < at && (t.charAt(i) == '.' || t.charAt(i) == '-')) i++;
        if (i == at || t.charAt(at - 1) == '.') return -1;
        for (int k = i + 1; k < at; k++) if (t.charAt(k) == '.' && t.charAt(k - 1) == '.') return -1;
        return i;
    }

    /** End of a valid domain starting at from, or -1. */
    private static int domainEnd(ScanText t, int from) {
        int i = from;
        while (i < t.length && i - from <= MAX_DOMAIN) {
            char c = t.charAt(i);
            if (!(ScanText.isAsciiAlnum(c) || c == '-' || c == '.')) break;
            i++;
        }
        while (i > from && (t.charAt(i - 1) == '.' || t.charAt(i - 1) == '-')) i--;
        if (i == from || i - from > MAX_DOMAIN || ScanText.isWordChar(t.at(i))) return -1;
        int labels = 0;
        int labelStart = from;
        for (int k = from; k <= i; k++) {
            if (k < i && t.charAt(k) != '.') continue;
            int len = k - labelStart;
            if (len == 0 || len > 63 || t.charAt(labelStart) == '-' || t.charAt(k - 1) == '-') return -1;
            labels++;
            if (k == i && !topLevelDomain(t.text, labelStart, k)) return -1;
            labelStart = k + 1;
        }
        return labels >= 2 ? i : -1;
    }

    private static boolean topLevelDomain(String s, int start, int end) {
        if (end - start < 2) return false;
        if (s.regionMatches(true, start, "xn--", 0, 4)) return true;
        for (int k = start; k < end; k++) if (!ScanText.isAsciiLetter(s.charAt(k))) return false;
        return !FILE_EXTENSIONS.contains(s.substring(start, end).toLowerCase(Locale.ROOT));
    }
}
