package io.bricksllm.policy.detect;

/** The check-digit rules the detectors validate candidates with. Inputs are already format-checked. */
final class Checksums {

    private Checksums() {
    }

    /** Luhn (mod 10): payment cards, Canadian SIN. */
    static boolean luhn(CharSequence digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    private static final byte[][] VERHOEFF_D = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
        {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
        {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    private static final byte[][] VERHOEFF_P = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
        {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};

    /** Verhoeff (dihedral group D5): Aadhaar. */
    static boolean verhoeff(CharSequence digits) {
        int c = 0;
        int n = digits.length();
        for (int i = 0; i < n; i++) {
            int d = digits.charAt(n - 1 - i) - '0';
            c = VERHOEFF_D[c][VERHOEFF_P[i % 8][d]];
        }
        return c == 0;
    }

    /** ISO 13616 IBAN check: country and check digits moved to the end, letters as 10..35, mod 97 = 1. */
    static boolean ibanMod97(CharSequence iban) {
        int n = iban.length();
        int r = 0;
        for (int k = 0; k < n; k++) {
            char c = iban.charAt((k + 4) % n);
            if (c >= '0' && c <= '9') {
                r = (r * 10 + (c - '0')) % 97;
            } else {
                int v = c - 'A' + 10;
                r = (r * 100 + v) % 97;
            }
        }
        return r == 1;
    }

    /** ABA routing transit number: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10). */
    static boolean abaRouting(CharSequence d) {
        int sum = 0;
        for (int i = 0; i < 9; i += 3) {
            sum += 3 * (d.charAt(i) - '0') + 7 * (d.charAt(i + 1) - '0') + (d.charAt(i + 2) - '0');
        }
        return sum % 10 == 0;
    }

    /** NHS number: weights 10..2 on the first nine digits, check = 11 − (sum mod 11), 11 → 0, 10 invalid. */
    static boolean nhsMod11(CharSequence d) {
        int sum = 0;
        for (int i = 0; i < 9; i++) sum += (10 - i) * (d.charAt(i) - '0');
        int check = 11 - sum % 11;
        if (check == 11) check = 0;
        return check != 10 && check == d.charAt(9) - '0';
    }

    private static final int[] UTR_WEIGHTS = {6, 7, 8, 9, 10, 5, 4, 3, 2};
    private static final int[] UTR_CHECK = {2, 1, 9, 8, 7, 6, 5, 4, 3, 2, 1};

    /** UK UTR (HMRC): the first of ten digits checks the other nine (weights 6,7,8,9,10,5,4,3,2, mod 11). */
    static boolean utrMod11(CharSequence d) {
        int sum = 0;
        for (int i = 0; i < 9; i++) sum += UTR_WEIGHTS[i] * (d.charAt(i + 1) - '0');
        return UTR_CHECK[sum % 11] == d.charAt(0) - '0';
    }

    private static final int[] VIN_WEIGHTS = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

    /** North-American VIN: transliterated characters times position weights, mod 11, in position 9 (10 = 'X'). */
    static boolean vinCheckDigit(CharSequence vin) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int v = vinValue(vin.charAt(i));
            if (v < 0) return false;
            sum += v * VIN_WEIGHTS[i];
        }
        int check = sum % 11;
        char expected = check == 10 ? 'X' : (char) ('0' + check);
        return vin.charAt(8) == expected;
    }

    private static int vinValue(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        return switch (c) {
            case 'A', 'J' -> 1;
            case 'B', 'K', 'S' -> 2;
            case 'C', 'L', 'T' -> 3;
            case 'D', 'M', 'U' -> 4;
            case 'E', 'N', 'V' -> 5;
            case 'F', 'W' -> 6;
            case 'G', 'P', 'X' -> 7;
            case 'H', 'Y' -> 8;
            case 'R', 'Z' -> 9;
            default -> -1; // I, O, Q never appear in a VIN
        };
    }
}
