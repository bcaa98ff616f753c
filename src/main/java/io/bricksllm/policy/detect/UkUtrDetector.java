package io.bricksllm.policy.detect;

/**
 * UK Unique Taxpayer References: ten digits (or 5 5), optionally followed by "K", whose first digit
 * checks the other nine (HMRC's mod-11 rule), next to a "UTR"/"taxpayer reference" label.
 */
final class UkUtrDetector extends GroupedNumberDetector {

    private static final String[] LABELS = {"utr", "taxpayer reference", "tax reference", "unique taxpayer", "self assessment"};

    UkUtrDetector() {
        super(PiiEntity.UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER);
    }

    @Override
    int minDigits() {
        return 10;
    }

    @Override
    boolean accept(ScanText t, DigitGroups g) {
        boolean shaped = g.shaped(10) || g.shaped(5, 5) && g.separator() == ' ';
        return shaped && !g.allSame() && Checksums.utrMod11(g.digits()) && t.hasWordNear(g.start(), g.end(), LABELS);
    }

    @Override
    int end(ScanText t, DigitGroups g) {
        char next = t.at(g.end());
        return (next == 'K' || next == 'k') && t.endsFree(g.end() + 1) ? g.end() + 1 : g.end();
    }
}
