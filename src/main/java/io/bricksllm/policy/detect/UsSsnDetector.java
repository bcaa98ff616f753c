package io.bricksllm.policy.detect;

/**
 * US Social Security numbers: AAA-GG-SSSS (hyphens or spaces), or nine bare digits next to an
 * "SSN"/"social security" label. Area 000, 666 and 900–999, group 00 and serial 0000 are never issued.
 */
final class UsSsnDetector extends GroupedNumberDetector {

    private static final String[] LABELS = {"ssn", "ssns", "social security", "ss#", "ss no", "ssa"};

    UsSsnDetector() {
        super(PiiEntity.SSN);
    }

    @Override
    int minDigits() {
        return 9;
    }

    @Override
    boolean mayStartWith(char c) {
        return c != '9';
    }

    @Override
    boolean accept(ScanText t, DigitGroups g) {
        boolean shaped = g.shaped(3, 2, 4) && separated(g)
                || g.shaped(9) && t.hasWordNear(g.start(), g.end(), LABELS);
        return shaped && issuable(g);
    }

    static boolean issuable(DigitGroups g) {
        int area = g.value(0, 3);
        if (area == 0 || area == 666 || area >= 900) return false;
        if (g.value(3, 5) == 0 || g.value(5, 9) == 0) return false;
        return !(area == 78 && g.value(3, 9) == 51120) && !(area == 219 && g.value(3, 9) == 99999); // publicised specimens
    }
}
