package io.bricksllm.policy.detect;

/**
 * US bank routing (ABA) numbers: nine digits (or 4-4-1) with a Federal Reserve prefix (00–12, 21–32,
 * 61–72, 80) and a valid checksum, next to a "routing"/"ABA"/"RTN"/"transit" label (one random 9-digit
 * number in about 27 passes prefix and checksum, so the label is what makes a match).
 */
final class AbaRoutingDetector extends GroupedNumberDetector {

    private static final String[] LABELS = {"routing", "aba", "rtn", "transit", "ach", "wire"};

    AbaRoutingDetector() {
        super(PiiEntity.BANK_ROUTING);
    }

    @Override
    int minDigits() {
        return 9;
    }

    @Override
    boolean accept(ScanText t, DigitGroups g) {
        if (!(g.shaped(9) || g.shaped(4, 4, 1) && g.separator() == '-')) return false;
        int prefix = g.value(0, 2);
        boolean federal = prefix <= 12 || prefix >= 21 && prefix <= 32 || prefix >= 61 && prefix <= 72 || prefix == 80;
        return federal && !g.allSame() && Checksums.abaRouting(g.digits()) && t.hasWordNear(g.start(), g.end(), LABELS);
    }
}
