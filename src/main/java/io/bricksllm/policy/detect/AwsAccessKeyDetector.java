package io.bricksllm.policy.detect;

import java.util.List;

/** AWS access key ids: "AKIA" (long-term) or "ASIA" (temporary) followed by 16 upper-case letters or digits. */
final class AwsAccessKeyDetector extends LocalDetector {

    private static final String[] PREFIXES = {"AKIA", "ASIA"};
    private static final int LENGTH = 20;

    AwsAccessKeyDetector() {
        super(PiiEntity.AWS_ACCESS_KEY);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        int before = out.size();
        for (String prefix : PREFIXES) {
            for (int s = t.text.indexOf(prefix); s >= 0; s = t.text.indexOf(prefix, s + 1)) {
                if (ScanText.isWordChar(t.at(s - 1)) || ScanText.isWordChar(t.at(s + LENGTH))) continue;
                if (keyBody(t, s + 4)) add(out, s, s + LENGTH);
            }
        }
        if (out.size() - before > 1) out.subList(before, out.size()).sort(PiiScanner.ORDER);
    }

    private static boolean keyBody(ScanText t, int from) {
        if (from + 16 > t.length) return false;
        for (int i = from; i < from + 16; i++) {
            char c = t.charAt(i);
            if (!ScanText.isUpper(c) && !ScanText.isDigit(c)) return false;
        }
        return true;
    }
}
