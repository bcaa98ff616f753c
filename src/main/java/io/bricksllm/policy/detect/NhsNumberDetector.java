package io.bricksllm.policy.detect;

/**
 * UK NHS numbers: ten digits (3-3-4 or bare) with a valid mod-11 check digit, next to an "NHS" label.
 * The label is required because 3-3-4 is also how US phone numbers are written, and one in eleven of
 * them passes the check.
 */
final class NhsNumberDetector extends GroupedNumberDetector {

    private static final String[] LABELS = {"nhs", "health service", "nhs no", "chi"};

    NhsNumberDetector() {
        super(PiiEntity.UK_NATIONAL_HEALTH_SERVICE_NUMBER);
    }

    @Override
    int minDigits() {
        return 10;
    }

    @Override
    boolean accept(ScanText t, DigitGroups g) {
        boolean shaped = g.shaped(3, 3, 4) && separated(g) || g.shaped(10);
        return shaped && !g.allSame() && Checksums.nhsMod11(g.digits()) && t.hasWordNear(g.start(), g.end(), LABELS);
    }
}
