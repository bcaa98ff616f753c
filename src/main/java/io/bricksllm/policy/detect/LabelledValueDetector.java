package io.bricksllm.policy.detect;

import java.util.List;
import java.util.Set;

/**
 * Values that are only recognisable by the label in front of them ("password: hunter2", "PIN is 4921",
 * "CVV 123", "exp 09/27"). For each whole-word label, a short connector is read (':', '=', '#', "is",
 * "code", "number", …, and the quote ending a JSON key), then the subclass reads the value; the
 * finding covers the value only.
 */
abstract class LabelledValueDetector extends LocalDetector {

    /** Words that may stand between a label and its value. */
    private static final Set<String> FILLERS = Set.of(
            "is", "was", "are", "code", "number", "no", "num", "nr", "value", "date", "on", "of", "end", "thru", "through", "until");
    private static final Set<String> ASSERTING = Set.of("is", "was", "are");
    private static final int MAX_CONNECTOR = 24;

    private final String[] labels;
    /** ASCII letters that some label starts with. */
    private final boolean[] initials = new boolean[128];

    LabelledValueDetector(PiiEntity entity, String... labels) {
        super(entity);
        this.labels = labels;
        for (String label : labels) initials[label.charAt(0)] = true;
    }

    /**
     * End of the value starting at {@code start}, or -1. {@code quote}: the quote character just before
     * the value, or 0; {@code explicit}: the connector had ':', '=' or "is"; {@code connector}: the filler
     * words read (each followed by a space, lower-case).
     */
    abstract int valueEnd(ScanText t, int start, char quote, boolean explicit, String connector);

    @Override
    final void find(ScanText t, List<Finding> out) {
        int before = out.size();
        String lower = t.lower();
        for (int k = 0; k < t.letterCount(); k++) {
            int at = t.letterStart(k);
            if (!initials[lower.charAt(at)]) continue;
            for (String label : labels) {
                if (!lower.startsWith(label, at) || ScanText.isAsciiLetter(t.at(at + label.length()))) continue;
                int i = at + label.length();
                if (t.at(i) == '"' || t.at(i) == '\'' || t.at(i) == '.') i++; // "password": …, exp. 09/27
                boolean explicit = false;
                StringBuilder words = null;
                int limit = i + MAX_CONNECTOR;
                while (i < limit) {
                    while (t.at(i) == ' ' || t.at(i) == '\t') i++;
                    char c = t.at(i);
                    if (c == ':' || c == '=' || c == '#') {
                        explicit = true;
                        i++;
                        continue;
                    }
                    if (c == '-' && t.at(i + 1) == ' ') {
                        i++;
                        continue;
                    }
                    if (!ScanText.isAsciiLetter(c)) break;
                    int w = i;
                    while (ScanText.isAsciiLetter(t.at(w))) w++;
                    String word = t.lower().substring(i, w);
                    if (!FILLERS.contains(word)) break;
                    if (ASSERTING.contains(word)) explicit = true;
                    if (words == null) words = new StringBuilder();
                    words.append(word).append(' ');
                    i = w;
                    if (t.at(i) == '.') i++;
                }
                char quote = 0;
                if (t.at(i) == '"' || t.at(i) == '\'' || t.at(i) == '`') quote = t.charAt(i++);
                if (i >= t.length) continue;
                int end = valueEnd(t, i, quote, explicit, words == null ? "" : words.toString());
                if (end > i) add(out, i, end);
            }
        }
        sortOnePerStart(out, before); // two labels of one phrase ("expiry date", "expiry") find one value
    }

    /** End of a run of min..max digits at start that is not glued to more digits or letters, or -1. */
    static int digitsEnd(ScanText t, int start, int min, int max) {
        int i = start;
        while (ScanText.isDigit(t.at(i))) i++;
        int n = i - start;
        return n >= min && n <= max && t.endsFree(i) ? i : -1;
    }
}
