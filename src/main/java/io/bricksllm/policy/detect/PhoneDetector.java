package io.bricksllm.policy.detect;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Phone numbers, found and validated by libphonenumber ({@link Leniency#VALID}: the number must exist
 * in its country's numbering plan). Numbers without a country code are read as US numbers; "+44 …",
 * "+49 …" and other international numbers are read in their own country. Dates, timestamps and
 * numbers glued to letters are rejected by the library.
 *
 * <p>The library is slow (tens of µs per candidate), so it is only shown the parts of the text where it
 * could find something: clusters of at least seven digits separated by nothing but phone punctuation,
 * and within them only a '+' or the US international prefix 011 followed by digits, or a run of whole
 * digit groups that is shaped like a North-American number (NXX NXX XXXX, optionally after a 1). The
 * library only splits candidates at separators, so this skips card numbers, IP addresses, dates, SSNs
 * and long tables of them without changing what it finds. The library's answer for a window is kept for
 * the rest of the scan: a text that repeats itself ("+1 555 0100 +1 555 0100 …") asks it once per distinct
 * window, not once per window.
 */
final class PhoneDetector extends LocalDetector {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final String DEFAULT_REGION = "US";
    private static final int MIN_DIGITS = 7;
    /** Characters between digits of one number: at most this many in a row. */
    private static final int MAX_GAP = 3;
    /** How far an international number may reach after its '+'. */
    private static final int MAX_NUMBER = 32;
    /** Context either side of a candidate, for the library's own checks (letters, ":ss" of times, "ext."). */
    private static final int PAD = 16;
    /** The library is asked about at most this many characters at once ... */
    private static final int WINDOW = 256;
    /** ... with windows overlapping by more than the longest written phone number. */
    private static final int OVERLAP = 64;
    private static final long MAX_TRIES_PER_WINDOW = 64;
    /** Windows whose answers one scan keeps (at most ~256 KB of window text). */
    private static final int MAX_REMEMBERED = 1024;

    PhoneDetector() {
        super(PiiEntity.PHONE);
    }

    private static boolean isPhonePunctuation(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+' || c == '/' || c == '\u00A0'
                || c >= '\u2010' && c <= '\u2015' || c == '\u2212' || c == '\uFF0B';
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        if (t.digitCount() < MIN_DIGITS) return;
        String s = t.text;
        int n = t.length;
        Regions regions = new Regions(s, out, t.deadline);
        Groups groups = new Groups();
        int i = 0;
        int clusters = 0;
        while (i < n) {
            if ((++clusters & 0xFF) == 0) t.deadline.check();
            while (i < n && !ScanText.isDigit(s.charAt(i))) i++;
            if (i == n) break;
            groups.clear();
            int groupStart = i;
            while (i < n) {
                char c = s.charAt(i);
                if (ScanText.isDigit(c)) {
                    i++;
                    continue;
                }
                if (groupStart >= 0) {
                    groups.add(groupStart, i);
                    groupStart = -1;
                }
                if (i - groups.lastEnd() < MAX_GAP && isPhonePunctuation(c)) {
                    i++;
                    if (i < n && ScanText.isDigit(s.charAt(i))) groupStart = i;
                } else {
                    break;
                }
            }
            if (groupStart >= 0) groups.add(groupStart, i);
            if (groups.digits >= MIN_DIGITS) addCandidates(s, groups, regions);
        }
        regions.flush();
    }

    /** Adds the parts of one digit cluster where the library could find a number. */
    private static void addCandidates(String s, Groups g, Regions regions) {
        for (int a = 0; a < g.count; a++) {
            int start = g.start[a];
            boolean plus = start >= 1 && isPlus(s.charAt(start - 1)) || start >= 2 && isPlus(s.charAt(start - 2));
            if (plus || s.startsWith("011", start)) {
                int end = internationalEnd(s, g, a);
                if (end > 0) regions.add(start - (plus ? 2 : 0), end);
                continue;
            }
            int digits = 0;
            for (int b = a; b < g.count && digits < 11; b++) {
                digits += g.end[b] - g.start[b];
                if (digits == 10 && nxx(s, g, a, 0) && nxx(s, g, a, 3)
                        || digits == 11 && s.charAt(start) == '1' && nxx(s, g, a, 1) && nxx(s, g, a, 4)) {
                    regions.add(start, g.end[b]);
                }
            }
        }
    }

    /**
     * End of an international number whose digits start with group a: its groups up to the next '+' or
     * {@link #MAX_NUMBER} characters; -1 when that holds fewer than {@link #MIN_DIGITS} digits.
     */
    private static int internationalEnd(String s, Groups g, int a) {
        int digits = 0;
        int end = -1;
        for (int b = a; b < g.count && g.end[b] - g.start[a] <= MAX_NUMBER; b++) {
            if (b > a && (isPlus(s.charAt(g.start[b] - 1)) || g.start[b] >= 2 && isPlus(s.charAt(g.start[b] - 2)))) break;
            digits += g.end[b] - g.start[b];
            end = g.end[b];
        }
        return digits >= MIN_DIGITS ? end : -1;
    }

    private static boolean isPlus(char c) {
        return c == '+' || c == '\uFF0B';
    }

    /** Whether the k-th digit from group a on is 2–9 (area codes and exchanges never start with 0 or 1). */
    private static boolean nxx(String s, Groups g, int a, int k) {
        for (int b = a; b < g.count; b++) {
            int len = g.end[b] - g.start[b];
            if (k < len) return s.charAt(g.start[b] + k) >= '2';
            k -= len;
        }
        return false;
    }

    /** The digit runs of one cluster (reused from cluster to cluster). */
    private static final class Groups {
        int[] start = new int[16];
        int[] end = new int[16];
        int count;
        int digits;

        void clear() {
            count = 0;
            digits = 0;
        }

        void add(int from, int to) {
            if (count == start.length) {
                start = Arrays.copyOf(start, count * 2);
                end = Arrays.copyOf(end, count * 2);
            }
            start[count] = from;
            end[count++] = to;
            digits += to - from;
        }

        int lastEnd() {
            return count == 0 ? -1 : end[count - 1];
        }
    }

    /** Candidate spans merged into padded regions, each handed to the library once. */
    private static final class Regions {
        private final String s;
        private final List<Finding> out;
        private final ScanDeadline deadline;
        private final Map<String, int[]> seen = new HashMap<>();
        private int start = -1;
        private int end = -1;

        Regions(String s, List<Finding> out, ScanDeadline deadline) {
            this.s = s;
            this.out = out;
            this.deadline = deadline;
        }

        void add(int from, int to) {
            int rs = alignLeft(from - PAD);
            int re = alignRight(to + PAD);
            if (start >= 0 && rs <= end) {
                end = Math.max(end, re);
                return;
            }
            flush();
            start = rs;
            end = re;
        }

        /** Moves a region start out of the middle of a digit run (a little way at most). */
        private int alignLeft(int i) {
            i = Math.max(0, i);
            for (int k = 0; k < MAX_NUMBER && i > 0 && ScanText.isDigit(s.charAt(i)) && ScanText.isDigit(s.charAt(i - 1)); k++) i--;
            return i;
        }

        private int alignRight(int i) {
            i = Math.min(s.length(), i);
            for (int k = 0; k < MAX_NUMBER && i > 0 && i < s.length() && ScanText.isDigit(s.charAt(i - 1)) && ScanText.isDigit(s.charAt(i)); k++) i++;
            return i;
        }

        /** A number glued to the word before it, like an order id's tail ("INV-2024-001234"), is not a phone number. */
        private boolean glued(int start) {
            if (start == 0) return false;
            char before = s.charAt(start - 1);
            if (ScanText.isWordChar(before)) return true;
            return (before == '-' || before == '.' || before == '/') && start >= 2 && ScanText.isWordChar(s.charAt(start - 2));
        }

        /** The library's numbers in a window, as start, end pairs; the same window text always gets the same answer. */
        private int[] numbersIn(String window) {
            int[] known = seen.get(window);
            if (known != null) return known;
            int[] found = new int[0];
            for (PhoneNumberMatch m : PHONES.findNumbers(window, DEFAULT_REGION, Leniency.VALID, MAX_TRIES_PER_WINDOW)) {
                found = Arrays.copyOf(found, found.length + 2);
                found[found.length - 2] = m.start();
                found[found.length - 1] = m.end();
            }
            if (seen.size() == MAX_REMEMBERED) seen.clear();
            seen.put(window, found);
            return found;
        }

        void flush() {
            if (start >= 0) findIn(start, end);
            start = -1;
        }

        /** Asks the library about s[from, to), in overlapping windows so that work stays linear in the text. */
        private void findIn(int from, int to) {
            int lastEnd = from;
            for (int w = from; ; w += WINDOW - OVERLAP) {
                deadline.check();
                int we = Math.min(to, w + WINDOW);
                int next = we == to ? to : w + WINDOW - OVERLAP; // numbers starting from here on are the next window's
                int[] found = numbersIn(s.substring(w, we));
                for (int k = 0; k < found.length; k += 2) {
                    int start = w + found[k];
                    if (start >= next) break;
                    if (start < lastEnd) continue; // the tail of a number found from the previous window
                    if (glued(start)) continue;
                    out.add(new Finding(PiiEntity.PHONE, start, w + found[k + 1]));
                    lastEnd = w + found[k + 1];
                }
                if (we == to) return;
            }
        }
    }
}
