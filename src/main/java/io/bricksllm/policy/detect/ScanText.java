package io.bricksllm.policy.detect;

import java.util.Arrays;

/**
 * One scan's view of a text, built in a single pass and shared by every detector: where words and
 * numbers start, how many digits there are, and (lazily) an ASCII-lower-cased copy for label look-ups.
 * Offsets are those of the original text. Not thread-safe; one per scan.
 */
final class ScanText {

    /** Characters that glue a number to what precedes it ("v1.2", "ref-123", "12/34"). */
    private static final String HARD_JOINERS = "-./";
    private static final byte WORD = 1;
    private static final byte DIGIT = 2;
    private static final byte LETTER = 4;
    /** Classes of the ASCII characters. */
    private static final byte[] ASCII = new byte[128];
    /** Loops check the deadline when their index has these bits clear (every 4096 steps). */
    private static final int CHECK_EVERY = 0xFFF;

    static {
        for (char c = '0'; c <= '9'; c++) ASCII[c] = WORD | DIGIT;
        for (char c = 'a'; c <= 'z'; c++) {
            ASCII[c] = WORD | LETTER;
            ASCII[c - 32] = WORD | LETTER;
        }
        ASCII['_'] = WORD;
    }

    final String text;
    final int length;
    /** Checked every few thousand positions by the loops that walk the text. */
    final ScanDeadline deadline;
    private final int digitCount;
    private int[] wordStarts = new int[64];
    private int wordCount;
    private int[] numberStarts = new int[16];
    private int numberCount;
    private int[] letterStarts = new int[64];
    private int letterCount;
    private String lower;

    ScanText(String text) {
        this(text, ScanDeadline.NONE);
    }

    ScanText(String text, ScanDeadline deadline) {
        this.text = text;
        this.length = text.length();
        this.deadline = deadline;
        int digits = 0;
        boolean prevWord = false;
        boolean prevLetter = false;
        for (int i = 0; i < length; i++) {
            if ((i & CHECK_EVERY) == 0) deadline.check();
            char c = text.charAt(i);
            int cls = c < 128 ? ASCII[c] : Character.isLetterOrDigit(c) ? WORD : 0;
            boolean word = (cls & WORD) != 0;
            if (word && !prevWord) {
                if ((cls & DIGIT) != 0 && isNumberStart(i)) numberStarts = add(numberStarts, numberCount++, i);
                wordStarts = add(wordStarts, wordCount++, i);
            }
            if ((cls & DIGIT) != 0) digits++;
            boolean letter = (cls & LETTER) != 0;
            if (letter && !prevLetter) letterStarts = add(letterStarts, letterCount++, i);
            prevWord = word;
            prevLetter = letter;
        }
        this.digitCount = digits;
    }

    private boolean isNumberStart(int i) {
        if (i < 2) return true;
        char p = text.charAt(i - 1);
        char pp = text.charAt(i - 2);
        if (HARD_JOINERS.indexOf(p) >= 0) return !isWordChar(pp);
        if (p == ':' || p == ',') return !isDigit(pp);
        return true;
    }

    private static int[] add(int[] a, int index, int value) {
        if (index == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[index] = value;
        return a;
    }

    int digitCount() {
        return digitCount;
    }

    /** Number of positions where a word (a run of letters, digits or '_') starts. */
    int wordCount() {
        return wordCount;
    }

    int wordStart(int k) {
        if ((k & CHECK_EVERY) == 0) deadline.check();
        return wordStarts[k];
    }

    /**
     * Number of positions where a free-standing number starts: a digit not preceded by a word
     * character, nor by '-', '.' or '/' glued to a word ("v1.2", "ref-123"), nor by ':' or ','
     * glued to a digit ("10:30", "1,000").
     */
    int numberCount() {
        return numberCount;
    }

    int numberStart(int k) {
        if ((k & CHECK_EVERY) == 0) deadline.check();
        return numberStarts[k];
    }

    /** Number of positions where a run of ASCII letters starts (labels: "password" in "db_password" too). */
    int letterCount() {
        return letterCount;
    }

    int letterStart(int k) {
        if ((k & CHECK_EVERY) == 0) deadline.check();
        return letterStarts[k];
    }

    char charAt(int i) {
        return text.charAt(i);
    }

    /** The character at i, or NUL outside the text (neither a word character nor a separator). */
    char at(int i) {
        return i >= 0 && i < length ? text.charAt(i) : '\0';
    }

    /** The text with ASCII letters lower-cased (same length and offsets as the original). */
    String lower() {
        if (lower == null) {
            char[] c = new char[length];
            text.getChars(0, length, c, 0);
            for (int i = 0; i < length; i++) if (c[i] >= 'A' && c[i] <= 'Z') c[i] += 32;
            lower = new String(c);
        }
        return lower;
    }

    /** Whether a lower-case keyword occurs as a whole word starting inside [from, to). */
    boolean hasWord(int from, int to, String... keywords) {
        from = Math.max(0, from);
        to = Math.min(length, to);
        String l = lower();
        for (String k : keywords) {
            int end = Math.min(length, to + k.length() - 1);
            for (int i = l.indexOf(k, from, end); i >= 0; i = l.indexOf(k, i + 1, end)) {
                if (!isAsciiLetter(at(i - 1)) && !isAsciiLetter(at(i + k.length()))) return true;
            }
        }
        return false;
    }

    /** Whether a keyword occurs shortly before (or just after) the span [start, end). */
    boolean hasWordNear(int start, int end, String... keywords) {
        return hasWord(start - 64, Math.min(length, end + 32), keywords);
    }

    /** End of the run of word characters starting at i. */
    int wordEnd(int i) {
        while (i < length && isWordChar(text.charAt(i))) i++;
        return i;
    }

    /** Whether a span may end at {@code end}: not followed by a word character, nor by '-', '.', '/' or ':' and a digit. */
    boolean endsFree(int end) {
        if (end >= length) return true;
        char c = text.charAt(end);
        if (isWordChar(c)) return false;
        return !((HARD_JOINERS.indexOf(c) >= 0 || c == ':') && isDigit(at(end + 1)));
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isAsciiLetter(char c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    static boolean isAsciiAlnum(char c) {
        return isDigit(c) || isAsciiLetter(c);
    }

    static boolean isHex(char c) {
        return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }

    static boolean isWordChar(char c) {
        if (c < 0x80) return isAsciiAlnum(c) || c == '_';
        return Character.isLetterOrDigit(c);
    }
}
