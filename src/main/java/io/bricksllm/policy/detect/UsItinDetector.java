package io.bricksllm.policy.detect;

/**
 * US Individual Taxpayer Identification Numbers: 9XX-GG-XXXX (hyphens or spaces) with the group in
 * 50–65, 70–88, 90–92 or 94–99, or nine bare digits so shaped next to an "ITIN"/"taxpayer" label.
 */
final class UsItinDetector extends GroupedNumberDetector {

    private static final String[] LABELS = {"itin", "taxpayer identification", "tax id", "tin"};

    UsItinDetector() {
        super(PiiEntity.US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER);
    }

    @Override
    int minDigits() {
        return 9;
    }

    @Override
    boolean mayStartWith(char c) {
        return c == '9';
    }

    @Override
    boolean accept(ScanText t, DigitGroups g) {
        boolean shaped = g.shaped(3, 2, 4) && separated(g)
                || g.shaped(9) && t.hasWordNear(g.start(), g.end(), LABELS);
        if (!shaped) return false;
        int group = g.value(3, 5);
        return group >= 50 && group <= 65 || group >= 70 && group <= 88 || group >= 90 && group <= 92 || group >= 94;
    }
}
