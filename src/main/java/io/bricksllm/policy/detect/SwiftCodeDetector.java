package io.bricksllm.policy.detect;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SWIFT/BIC codes: 4 bank letters, an ISO 3166 country code, 2 location characters and an optional
 * 3-character branch ("DEUTDEFF", "DEUTDEFF500", "NEDSZAJJXXX"). Codes made only of letters look like
 * upper-case words ("DOCUMENT" would be a code in Montenegro), so they need a "SWIFT"/"BIC" label nearby
 * unless the branch is "XXX"; codes with a digit in the location or branch do not.
 */
final class SwiftCodeDetector extends LocalDetector {

    private static final Set<String> COUNTRIES = new HashSet<>(List.of(Locale.getISOCountries()));
    private static final String[] LABELS = {"swift", "bic", "swift/bic", "bank identifier", "routing code"};

    static {
        COUNTRIES.add("XK"); // Kosovo, used by SWIFT
    }

    SwiftCodeDetector() {
        super(PiiEntity.SWIFT_CODE);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        for (int k = 0; k < t.wordCount(); k++) {
            int s = t.wordStart(k);
            if (!ScanText.isUpper(t.charAt(s))) continue;
            int end = t.wordEnd(s);
            int len = end - s;
            if (len != 8 && len != 11 || !t.endsFree(end)) continue;
            if (!shaped(t.text, s, end)) continue;
            if (!COUNTRIES.contains(t.text.substring(s + 4, s + 6))) continue;
            if (hasDigit(t.text, s + 6, end) || len == 11 && t.text.startsWith("XXX", s + 8) || t.hasWordNear(s, end, LABELS)) {
                add(out, s, end);
            }
        }
    }

    private static boolean shaped(String text, int s, int end) {
        for (int i = s; i < s + 6; i++) if (!ScanText.isUpper(text.charAt(i))) return false;
        for (int i = s + 6; i < end; i++) {
            char c = text.charAt(i);
            if (!ScanText.isUpper(c) && !ScanText.isDigit(c)) return false;
        }
        return true;
    }

    private static boolean hasDigit(String text, int from, int to) {
        for (int i = from; i < to; i++) if (ScanText.isDigit(text.charAt(i))) return true;
        return false;
    }
}
