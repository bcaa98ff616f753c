package io.bricksllm.policy.detect;

/**
 * Indian Aadhaar numbers: twelve digits not starting with 0 or 1 whose last digit is a Verhoeff check
 * digit, written 4-4-4 (spaces or hyphens), or bare next to an "Aadhaar"/"UID" label.
 */
final class AadhaarDetector extends GroupedNumberDetector {

    private static final String[] LABELS = {"aadhaar", "aadhar", "adhaar", "uid", "uidai"};

    AadhaarDetector() {
        super(PiiEntity.IN_AADHAAR);
    }

    @Override
    int minDigits() {
        return 12;
    }

    @Override
    boolean mayStartWith(char c) {
        return c >= '2';
    }

    @Override
    boolean accept(ScanText t, DigitGroups g) {
        boolean shaped = g.shaped(4, 4, 4) && separated(g)
                || g.shaped(12) && t.hasWordNear(g.start(), g.end(), LABELS);
        return shaped && !g.allSame() && Checksums.verhoeff(g.digits());
    }
}
