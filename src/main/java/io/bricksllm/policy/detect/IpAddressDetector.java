package io.bricksllm.policy.detect;

import java.util.List;

/**
 * IP addresses. IPv4: four dotted decimal octets 0–255 without leading zeros, optionally with a CIDR
 * prefix; not part of a longer dotted run ("1.2.3.4.5", "v1.2.3.4"). IPv6: eight groups of 1–4 hex
 * digits, or fewer with one "::", optionally ending in an IPv4 address; at least two groups, so times
 * ("10:30:00"), MAC addresses and "::" alone are not addresses.
 */
final class IpAddressDetector extends LocalDetector {

    private static final int MAX_V6 = 45;

    IpAddressDetector() {
        super(PiiEntity.IP_ADDRESS);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        int v6From = out.size();
        if (t.text.indexOf(':') >= 0) findV6(t, out);
        int v6To = out.size();
        if (t.digitCount() < 4) return;
        int floor = 0;
        for (int k = 0; k < t.numberCount(); k++) {
            int s = t.numberStart(k);
            if (s < floor) continue;
            int end = ipv4End(t, s);
            if (end > 0 && !inside(out, v6From, v6To, s)) {
                add(out, s, end);
                floor = end;
            }
        }
    }

    private void findV6(ScanText t, List<Finding> out) {
        int floor = 0;
        for (int k = 0; k < t.wordCount(); k++) {
            int s = t.wordStart(k);
            if (s < floor || !mayStartV6(t, s)) continue;
            if (s >= 2 && t.charAt(s - 1) == ':' && t.charAt(s - 2) == ':') s -= 2; // "::ffff:…" starts before the word
            else if (t.at(s - 1) == ':') continue;
            int end = ipv6End(t, s);
            if (end > 0) {
                add(out, s, end);
                floor = end;
            }
        }
    }

    private static boolean inside(List<Finding> out, int from, int to, int position) {
        for (int k = from; k < to; k++) if (out.get(k).start() <= position && position < out.get(k).end()) return true;
        return false;
    }

    /** End of an IPv4 address (with optional /prefix) starting at s, or -1. */
    static int ipv4End(ScanText t, int s) {
        int i = s;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (t.at(i) != '.' || !ScanText.isDigit(t.at(i + 1))) return -1;
                i++;
            }
            int start = i;
            int v = 0;
            while (i < t.length && ScanText.isDigit(t.charAt(i)) && i - start < 3) v = v * 10 + (t.charAt(i++) - '0');
            if (ScanText.isDigit(t.at(i)) || v > 255 || i - start > 1 && t.charAt(start) == '0') return -1;
        }
        char next = t.at(i);
        if (next == '/' && ScanText.isDigit(t.at(i + 1))) { // CIDR prefix
            int p = i + 1;
            int v = 0;
            while (p < t.length && ScanText.isDigit(t.charAt(p)) && p - i <= 2) v = v * 10 + (t.charAt(p++) - '0');
            if (v <= 32 && !ScanText.isWordChar(t.at(p))) return p;
            return -1;
        }
        if (ScanText.isWordChar(next) || next == '.' && ScanText.isDigit(t.at(i + 1))) return -1;
        return i;
    }

    /** Cheap test: a hex group of at most four digits followed by ':'. */
    private static boolean mayStartV6(ScanText t, int s) {
        for (int i = s; i < s + 5 && i < t.length; i++) {
            char c = t.charAt(i);
            if (c == ':') return i > s;
            if (!ScanText.isHex(c)) return false;
        }
        return false;
    }

    /** End of an IPv6 address starting at s, or -1. */
    static int ipv6End(ScanText t, int s) {
        int e = s;
        while (e < t.length && e - s < MAX_V6) {
            char c = t.charAt(e);
            if (!(ScanText.isHex(c) || c == ':' || c == '.')) break;
            e++;
        }
        if (ScanText.isWordChar(t.at(e))) return -1;
        while (e > s && t.charAt(e - 1) == '.') e--;
        if (e - s >= 2 && t.charAt(e - 1) == ':' && t.charAt(e - 2) != ':') e--; // "fe80::1:" at a sentence end
        return validV6(t.text, s, e) ? e : -1;
    }

    static boolean validV6(String s, int from, int to) {
        int dbl = s.indexOf("::", from, to);
        if (dbl >= 0 && s.indexOf("::", dbl + 1, to) >= 0) return false; // two "::" or ":::"
        int groups = 0;
        int i = from;
        if (dbl == from) i += 2;
        while (i < to) {
            int g = i;
            while (i < to && ScanText.isHex(s.charAt(i))) i++;
            if (i < to && s.charAt(i) == '.') { // trailing IPv4 counts as two groups
                if (!embeddedV4(s, g, to)) return false;
                groups += 2;
                i = to;
                break;
            }
            int len = i - g;
            if (len == 0 || len > 4) return false;
            groups++;
            if (i == to) break;
            // at ':'
            if (i == dbl) {
                i += 2;
                if (i == to) break;
            } else {
                i++;
                if (i == to) return false;
            }
        }
        if (dbl >= 0) return groups >= 2 && groups <= 7;
        return groups == 8;
    }

    private static boolean embeddedV4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (i <= to) {
            int g = i;
            int v = 0;
            while (i < to && ScanText.isDigit(s.charAt(i)) && i - g < 3) v = v * 10 + (s.charAt(i++) - '0');
            if (i == g || v > 255 || i - g > 1 && s.charAt(g) == '0') return false;
            parts++;
            if (i == to) break;
            if (s.charAt(i) != '.') return false;
            i++;
        }
        return parts == 4;
    }
}
