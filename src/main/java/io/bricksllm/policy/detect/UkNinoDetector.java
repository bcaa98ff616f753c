package io.bricksllm.policy.detect;

import java.util.List;

/**
 * UK National Insurance numbers: two prefix letters, six digits and a suffix A–D, compact ("AB123456C")
 * or spaced ("AB 12 34 56 C"). Prefixes HMRC never issues are rejected: D, F, I, Q, U, V first; D, F,
 * I, O, Q, U, V second; BG, GB, KN, NK, NT, TN and ZZ.
 */
final class UkNinoDetector extends LocalDetector {

    UkNinoDetector() {
        super(PiiEntity.UK_NATIONAL_INSURANCE_NUMBER);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        if (t.digitCount() < 6) return;
        for (int k = 0; k < t.wordCount(); k++) {
            int s = t.wordStart(k);
            if (!ScanText.isUpper(t.charAt(s)) || !ScanText.isUpper(t.at(s + 1)) || !validPrefix(t.charAt(s), t.charAt(s + 1))) {
                continue;
            }
            int end = end(t, s);
            if (end > 0) add(out, s, end);
        }
    }

    private static boolean validPrefix(char a, char b) {
        if ("DFIQUV".indexOf(a) >= 0 || "DFIOQUV".indexOf(b) >= 0) return false;
        String p = "" + a + b;
        return !(p.equals("BG") || p.equals("GB") || p.equals("KN") || p.equals("NK") || p.equals("NT") || p.equals("TN") || p.equals("ZZ"));
    }

    private static int end(ScanText t, int s) {
        int i = s + 2;
        boolean spaced = t.at(i) == ' ';
        if (spaced) i++;
        for (int pair = 0; pair < 3; pair++) {
            if (pair > 0 && spaced && t.at(i) == ' ') i++;
            if (!ScanText.isDigit(t.at(i)) || !ScanText.isDigit(t.at(i + 1))) return -1;
            i += 2;
        }
        if (t.at(i) == ' ' && spaced) i++;
        char suffix = t.at(i);
        if (suffix < 'A' || suffix > 'D') return -1;
        return t.endsFree(i + 1) ? i + 1 : -1;
    }
}
