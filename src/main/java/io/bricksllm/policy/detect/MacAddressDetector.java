package io.bricksllm.policy.detect;

import java.util.List;

/** MAC addresses: six hex pairs joined by ':' or '-' (the same throughout), or Cisco's three dotted quads. */
final class MacAddressDetector extends LocalDetector {

    MacAddressDetector() {
        super(PiiEntity.MAC_ADDRESS);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        if (t.length < 14) return;
        for (int k = 0; k < t.wordCount(); k++) {
            int s = t.wordStart(k);
            if (!ScanText.isHex(t.charAt(s)) || !ScanText.isHex(t.at(s + 1))) continue;
            char before = t.at(s - 1);
            if ((before == ':' || before == '-' || before == '.') && ScanText.isHex(t.at(s - 2))) continue; // inside a longer run
            int end = pairsEnd(t, s);
            if (end < 0) end = quadsEnd(t, s);
            if (end > 0) add(out, s, end);
        }
    }

    private static int pairsEnd(ScanText t, int s) {
        char sep = t.at(s + 2);
        if (sep != ':' && sep != '-') return -1;
        for (int p = 0; p < 6; p++) {
            int i = s + 3 * p;
            if (!ScanText.isHex(t.at(i)) || !ScanText.isHex(t.at(i + 1))) return -1;
            if (p < 5 && t.at(i + 2) != sep) return -1;
        }
        int end = s + 17;
        return free(t, end, sep) ? end : -1;
    }

    private static int quadsEnd(ScanText t, int s) {
        for (int q = 0; q < 3; q++) {
            int i = s + 5 * q;
            for (int k = 0; k < 4; k++) if (!ScanText.isHex(t.at(i + k))) return -1;
            if (q < 2 && t.at(i + 4) != '.') return -1;
        }
        int end = s + 14;
        return free(t, end, '.') ? end : -1;
    }

    private static boolean free(ScanText t, int end, char sep) {
        char next = t.at(end);
        return !ScanText.isWordChar(next) && !(next == sep && ScanText.isHex(t.at(end + 1)));
    }
}
