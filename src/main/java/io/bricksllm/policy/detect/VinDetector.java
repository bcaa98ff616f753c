package io.bricksllm.policy.detect;

import java.util.List;

/**
 * Vehicle identification numbers (North-American 17-character form): letters other than I, O and Q
 * plus digits, a model-year character that exists (not U, Z or 0) and the position-9 check digit.
 */
final class VinDetector extends LocalDetector {

    private static final int LENGTH = 17;

    VinDetector() {
        super(PiiEntity.VEHICLE_IDENTIFICATION_NUMBER);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        if (t.length < LENGTH || t.digitCount() < 2) return;
        for (int k = 0; k < t.wordCount(); k++) {
            int s = t.wordStart(k);
            char first = t.charAt(s);
            if (!ScanText.isUpper(first) && !ScanText.isDigit(first)) continue;
            int end = t.wordEnd(s);
            if (end - s != LENGTH || !t.endsFree(end)) continue;
            if (shaped(t.text, s) && Checksums.vinCheckDigit(t.text.subSequence(s, end))) add(out, s, end);
        }
    }

    private static boolean shaped(String text, int s) {
        boolean letter = false;
        boolean digit = false;
        for (int i = s; i < s + LENGTH; i++) {
            char c = text.charAt(i);
            if (ScanText.isDigit(c)) digit = true;
            else if (ScanText.isUpper(c) && c != 'I' && c != 'O' && c != 'Q') letter = true;
            else return false;
        }
        char year = text.charAt(s + 9);
        return letter && digit && year != 'U' && year != 'Z' && year != '0';
    }
}
