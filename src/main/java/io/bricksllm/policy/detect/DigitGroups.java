package io.bricksllm.policy.detect;

import java.nio.CharBuffer;

/**
 * Groups of digits read from a number start, joined by one separator used throughout
 * ("4111 1111 1111 1111", "123-45-6789", "9434765919"). A scratch object reused within one scan.
 */
final class DigitGroups {

    private static final int MAX_GROUPS = 8;

    private final int[] length = new int[MAX_GROUPS];
    private final char[] digits = new char[64];
    private int count;
    private int digitCount;
    private char separator;
    private int start;
    private int end;

    /**
     * Reads the groups at {@code start}, each joined to the next by one character of {@code separators}
     * (the same one throughout). False when there are more groups or digits than any format has.
     */
    boolean read(ScanText t, int start, String separators) {
        this.start = start;
        count = 0;
        digitCount = 0;
        separator = 0;
        int i = start;
        while (true) {
            int j = i;
            while (j < t.length && ScanText.isDigit(t.charAt(j))) {
                if (digitCount == digits.length) return false;
                digits[digitCount++] = t.charAt(j);
                j++;
            }
            if (count == MAX_GROUPS) return false;
            length[count++] = j - i;
            end = j;
            if (j + 1 < t.length) {
                char c = t.charAt(j);
                if (separators.indexOf(c) >= 0 && (separator == 0 || separator == c) && ScanText.isDigit(t.charAt(j + 1))) {
                    separator = c;
                    i = j + 1;
                    continue;
                }
            }
            return true;
        }
    }

    /** Whether the groups have exactly these lengths. */
    boolean shaped(int... lengths) {
        if (lengths.length != count) return false;
        for (int k = 0; k < count; k++) if (length[k] != lengths[k]) return false;
        return true;
    }

    int count() {
        return count;
    }

    int groupLength(int k) {
        return length[k];
    }

    int digitCount() {
        return digitCount;
    }

    int digit(int k) {
        return digits[k] - '0';
    }

    /** The digits without separators. */
    CharSequence digits() {
        return CharBuffer.wrap(digits, 0, digitCount);
    }

    /** The digits from k (inclusive) to j (exclusive) as a number. */
    int value(int k, int j) {
        int v = 0;
        for (int i = k; i < j; i++) v = v * 10 + digit(i);
        return v;
    }

    boolean allSame() {
        for (int k = 1; k < digitCount; k++) if (digits[k] != digits[0]) return false;
        return true;
    }

    char separator() {
        return separator;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }
}
