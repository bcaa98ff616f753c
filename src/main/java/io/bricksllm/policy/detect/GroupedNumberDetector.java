package io.bricksllm.policy.detect;

import java.util.List;

/**
 * Detectors of numbers written as digit groups ("123-45-6789", "4111 1111 1111 1111", "9434765919"):
 * each free-standing number is read once into {@link DigitGroups}, then the subclass checks its shape
 * and validator. Only whole numbers match: never the tail of a longer one ("1 123 456 782") nor a part
 * glued to more digits ("123-45-6789-1").
 */
abstract class GroupedNumberDetector extends LocalDetector {

    GroupedNumberDetector(PiiEntity entity) {
        super(entity);
    }

    @Override
    final void find(ScanText t, List<Finding> out) {
        if (t.digitCount() < minDigits()) return;
        DigitGroups g = new DigitGroups();
        for (int k = 0; k < t.numberCount(); k++) {
            int s = t.numberStart(k);
            if (!mayStartWith(t.charAt(s)) || t.at(s - 1) == ' ' && ScanText.isDigit(t.at(s - 2))) continue;
            if (!g.read(t, s, " -")) continue;
            if (g.digitCount() < minDigits() || !accept(t, g)) continue;
            int end = end(t, g);
            if (end > 0 && t.endsFree(end)) add(out, s, end);
        }
    }

    /** Fewest digits a match has (texts with fewer digits are skipped whole). */
    abstract int minDigits();

    /** Cheap filter on the first digit. */
    boolean mayStartWith(char firstDigit) {
        return true;
    }

    /** Whether the groups have this entity's shape and pass its validator. */
    abstract boolean accept(ScanText t, DigitGroups g);

    /** End of the match (after the last group by default); 0 to reject. */
    int end(ScanText t, DigitGroups g) {
        return g.end();
    }

    /** Whether the groups are separated by a space or a hyphen (not run together). */
    static boolean separated(DigitGroups g) {
        return g.separator() == ' ' || g.separator() == '-';
    }
}
