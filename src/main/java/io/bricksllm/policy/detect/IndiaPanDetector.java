package io.bricksllm.policy.detect;

import java.util.List;

/**
 * Indian Permanent Account Numbers: five letters, four digits, a letter ("ABCPE1234F"), the fourth
 * letter being a holder category that exists (A, B, C, F, G, H, J, L, P, T).
 */
final class IndiaPanDetector extends LocalDetector {

    private static final String CATEGORIES = "ABCFGHJLPT";

    IndiaPanDetector() {
        super(PiiEntity.IN_PERMANENT_ACCOUNT_NUMBER);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        if (t.digitCount() < 4) return;
        for (int k = 0; k < t.wordCount(); k++) {
            int s = t.wordStart(k);
            if (!ScanText.isUpper(t.charAt(s)) || t.wordEnd(s) - s != 10 || !t.endsFree(s + 10)) continue;
            if (shaped(t.text, s)) add(out, s, s + 10);
        }
    }

    private static boolean shaped(String x, int s) {
        for (int i = 0; i < 5; i++) if (!ScanText.isUpper(x.charAt(s + i))) return false;
        for (int i = 5; i < 9; i++) if (!ScanText.isDigit(x.charAt(s + i))) return false;
        return ScanText.isUpper(x.charAt(s + 9)) && CATEGORIES.indexOf(x.charAt(s + 3)) >= 0;
    }
}
