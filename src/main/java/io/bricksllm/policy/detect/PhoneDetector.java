package io.bricksllm.policy.detect;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import java.util.List;

/**
 * Phone numbers, found and validated by libphonenumber ({@link Leniency#VALID}: the number must exist
 * in its country's numbering plan). Numbers without a country code are read as US numbers; "+44 …",
 * "+49 …" and other international numbers are read in their own country. Dates, timestamps and
 * numbers glued to letters are rejected by the library.
 *
 * <p>The library is only shown the parts of the text where at least seven digits stand close together
 * (separated by nothing but phone punctuation), with some context either side, so prose costs nothing.
 */
final class PhoneDetector extends LocalDetector {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final int MIN_DIGITS = 7;
    /** Characters between digits of one number: at most this many in a row. */
    private static final int MAX_GAP = 3;
    /** Context either side of a digit cluster, for the library's own checks (letters, ":ss" of times, "ext."). */
    private static final int PAD = 16;
    private static final long MAX_TRIES_PER_REGION = 64;

    private final String defaultRegion;

    PhoneDetector(String defaultRegion) {
        super(PiiEntity.PHONE);
        this.defaultRegion = defaultRegion;
    }

    PhoneDetector() {
        this("US");
    }

    private static boolean isPhonePunctuation(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+' || c == '/' || c == '\u00A0'
                || c >= '\u2010' && c <= '\u2015' || c == '\u2212';
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        if (t.digitCount() < MIN_DIGITS) return;
        String s = t.text;
        int n = t.length;
        int regionStart = -1;
        int regionEnd = -1;
        int i = 0;
        while (i < n) {
            while (i < n && !ScanText.isDigit(s.charAt(i))) i++;
            if (i == n) break;
            int clusterStart = i;
            int clusterEnd = i;
            int digits = 0;
            while (i < n) {
                char c = s.charAt(i);
                if (ScanText.isDigit(c)) {
                    digits++;
                    clusterEnd = ++i;
                } else if (i - clusterEnd < MAX_GAP && isPhonePunctuation(c)) {
                    i++;
                } else {
                    break;
                }
            }
            if (digits < MIN_DIGITS || !mayHoldNumber(s, clusterStart, clusterEnd)) continue;
            int rs = Math.max(0, clusterStart - PAD);
            int re = Math.min(n, clusterEnd + PAD);
            if (regionEnd >= rs) {
                regionEnd = re;
            } else {
                if (regionStart >= 0) findIn(s, regionStart, regionEnd, out);
                regionStart = rs;
                regionEnd = re;
            }
        }
        if (regionStart >= 0) findIn(s, regionStart, regionEnd, out);
    }

    /**
     * Whether the library could find a number in this cluster. Without a '+' or the US international
     * prefix 011, a number dialled from the default region US is a North-American one: 10 digits, or 11
     * with the trunk prefix 1. The library only ever splits a cluster at its separators, so if no run of
     * whole digit groups adds up to 10 or 11 digits (card numbers in fours, IPv4 addresses, dates, SSNs),
     * it cannot find a valid number there and is not asked.
     */
    private boolean mayHoldNumber(String s, int from, int to) {
        if (!"US".equals(defaultRegion)) return true;
        for (int i = Math.max(0, from - 2); i < to; i++) {
            char c = s.charAt(i);
            if (c == '+' || c == '\uFF0B') return true;
        }
        if (s.startsWith("011", from)) return true;
        int[] groups = new int[16];
        int count = 0;
        int i = from;
        while (i < to) {
            int g = i;
            while (i < to && ScanText.isDigit(s.charAt(i))) i++;
            if (i > g) {
                if (count == groups.length) return true;
                groups[count++] = i - g;
            }
            while (i < to && !ScanText.isDigit(s.charAt(i))) i++;
        }
        for (int a = 0; a < count; a++) {
            int sum = 0;
            for (int b = a; b < count && sum < 11; b++) {
                sum += groups[b];
                if (sum == 10 || sum == 11) return true;
            }
        }
        return false;
    }

    private void findIn(String s, int from, int to, List<Finding> out) {
        String region = s.substring(from, to);
        for (PhoneNumberMatch m : PHONES.findNumbers(region, defaultRegion, Leniency.VALID, MAX_TRIES_PER_REGION)) {
            add(out, from + m.start(), from + m.end());
        }
    }
}
