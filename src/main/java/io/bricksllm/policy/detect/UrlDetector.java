package io.bricksllm.policy.detect;

import java.util.List;

/**
 * Web addresses starting with {@code http://}, {@code https://} or {@code www.}, up to the first
 * space or quote, without trailing sentence punctuation or an unbalanced closing bracket.
 */
final class UrlDetector extends LocalDetector {

    UrlDetector() {
        super(PiiEntity.URL);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        String l = t.lower();
        int from = 0;
        // the next occurrence of each prefix, searched again only once passed: searching both from every start made
        // a text with many "http" and no "www." quadratic (each search for "www." ran to the end of the text)
        int http = -2;
        int www = -2;
        while (from < t.length) {
            if (http != -1 && http < from) http = l.indexOf("http", from);
            if (www != -1 && www < from) www = l.indexOf("www.", from);
            if (http < 0 && www < 0) return;
            int s = http < 0 ? www : www < 0 ? http : Math.min(http, www);
            int hostStart = hostStart(t, l, s);
            if (hostStart < 0) {
                from = s + 4;
                continue;
            }
            int end = urlEnd(t, hostStart);
            if (end > hostStart && validHost(t, s, hostStart, end)) {
                add(out, s, end);
                from = end;
            } else {
                from = s + 4;
            }
        }
    }

    /** Where the host starts if a URL starts at s, else -1. */
    private static int hostStart(ScanText t, String l, int s) {
        char before = t.at(s - 1);
        if (ScanText.isWordChar(before)) return -1;
        if (l.startsWith("https://", s)) return s + 8;
        if (l.startsWith("http://", s)) return s + 7;
        if (l.startsWith("www.", s) && before != '.' && before != '/' && before != '@') return s;
        return -1;
    }

    private static boolean endsUrl(char c) {
        return c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}'
                || c == '|' || c == '\\' || c == '^' || c == '\u00A0' || Character.isWhitespace(c);
    }

    private static int urlEnd(ScanText t, int from) {
        int i = from;
        int parens = 0;
        int brackets = 0;
        while (i < t.length && !endsUrl(t.charAt(i))) {
            char c = t.charAt(i++);
            if (c == '(') parens++;
            else if (c == ')') parens--;
            else if (c == '[') brackets++;
            else if (c == ']') brackets--;
        }
        while (i > from) { // sentence punctuation and unbalanced closing brackets are not part of the address
            char c = t.charAt(i - 1);
            if (".,;:!?*".indexOf(c) >= 0) {
                i--;
            } else if (c == ')' && parens < 0) {
                parens++;
                i--;
            } else if (c == ']' && brackets < 0) {
                brackets++;
                i--;
            } else {
                break;
            }
        }
        return i;
    }

    /** The host must have a letter or digit; a bare "www." host needs a further dot-separated label. */
    private static boolean validHost(ScanText t, int s, int hostStart, int end) {
        int h = hostStart;
        while (h < end && "/?#:".indexOf(t.charAt(h)) < 0) h++;
        boolean alnum = false;
        int dots = 0;
        for (int k = hostStart; k < h; k++) {
            char c = t.charAt(k);
            if (ScanText.isAsciiAlnum(c)) alnum = true;
            if (c == '.') dots++;
        }
        if (!alnum) return false;
        if (hostStart == s) return dots >= 2 && ScanText.isAsciiLetter(t.charAt(h - 1)); // www.example.com
        return true;
    }
}
