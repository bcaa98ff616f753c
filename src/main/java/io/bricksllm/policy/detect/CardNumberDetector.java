package io.bricksllm.policy.detect;

/**
 * Payment card numbers: 13–19 digits, bare or in groups of 4 (also 4-6-5 and 4-6-4), with an issuer
 * prefix and length that exist (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro) and a
 * valid Luhn check digit.
 */
final class CardNumberDetector extends GroupedNumberDetector {

    CardNumberDetector() {
        super(PiiEntity.CREDIT_DEBIT_NUMBER);
    }

    @Override
    int minDigits() {
        return 13;
    }

    @Override
    boolean mayStartWith(char c) {
        return c >= '2' && c <= '6';
    }

    @Override
    boolean accept(ScanText t, DigitGroups g) {
        int n = g.digitCount();
        return n <= 19 && cardGrouping(g) && issuerAccepts(g, n) && Checksums.luhn(g.digits());
    }

    private static boolean cardGrouping(DigitGroups g) {
        int c = g.count();
        if (c == 1) return true;
        if (c < 3 || g.groupLength(0) != 4) return false;
        for (int k = 1; k < c - 1; k++) if (g.groupLength(k) < 4 || g.groupLength(k) > 6) return false;
        return g.groupLength(c - 1) <= 6;
    }

    /** Issuer identification ranges and the lengths each issuer uses. */
    static boolean issuerAccepts(DigitGroups g, int n) {
        int two = g.value(0, 2);
        return switch (g.digit(0)) {
            case 2 -> { // Mastercard 2-series
                int four = g.value(0, 4);
                yield four >= 2221 && four <= 2720 && n == 16;
            }
            case 3 -> {
                if (two == 34 || two == 37) yield n == 15;               // Amex
                if (two == 35) yield g.value(0, 4) >= 3528 && g.value(0, 4) <= 3589 && n >= 16; // JCB
                if (two == 36 || two == 38 || two == 39) yield n >= 14;  // Diners
                if (two == 30) yield g.value(0, 3) <= 305 && n >= 14;   // Diners Carte Blanche
                yield false;
            }
            case 4 -> n == 13 || n == 16 || n == 19;                     // Visa
            case 5 -> two < 51 || two > 55 || n == 16;                     // Maestro (50, 56-59), Mastercard
            case 6 -> true;                                              // Discover, UnionPay, Maestro, RuPay
            default -> false;
        };
    }
}
