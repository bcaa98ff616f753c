package io.bricksllm.policy.detect;

/**
 * Canadian Social Insurance Numbers: 123-456-782 / 123 456 782 with a valid Luhn digit and a first
 * digit that is issued (not 0 or 8), or nine bare digits so validated next to a "SIN" label.
 */
final class CanadianSinDetector extends GroupedNumberDetector {

    private static final String[] LABELS = {"sin", "social insurance", "nas", "assurance sociale"};

    CanadianSinDetector() {
        super(PiiEntity.CA_SOCIAL_INSURANCE_NUMBER);
    }

    @Override
    int minDigits() {
        return 9;
    }

    @Override
    boolean mayStartWith(char c) {
        return c != '0' && c != '8';
    }

    @Override
    boolean accept(ScanText t, DigitGroups g) {
        boolean shaped = g.shaped(3, 3, 3) && separated(g)
                || g.shaped(9) && t.hasWordNear(g.start(), g.end(), LABELS);
        return shaped && !g.allSame() && Checksums.luhn(g.digits());
    }
}
