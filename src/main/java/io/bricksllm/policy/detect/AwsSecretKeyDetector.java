package io.bricksllm.policy.detect;

import java.util.List;

/**
 * AWS secret access keys: a 40-character base64 token (letters of both cases, and a digit, '/' or '+')
 * within a short distance after an "aws" or "secret" label ("aws_secret_access_key=…",
 * "SecretAccessKey": "…"). Unlabelled 40-character tokens, such as git SHAs, are not keys.
 */
final class AwsSecretKeyDetector extends LocalDetector {

    private static final String[] LABELS = {"secret", "aws"};
    private static final int LENGTH = 40;
    /** How far after the label the key may start. */
    private static final int WINDOW = 96;

    AwsSecretKeyDetector() {
        super(PiiEntity.AWS_SECRET_KEY);
    }

    @Override
    void find(ScanText t, List<Finding> out) {
        if (t.length < LENGTH) return;
        String l = t.lower();
        int before = out.size();
        int floor = 0;
        for (String label : LABELS) {
            for (int at = l.indexOf(label); at >= 0; at = l.indexOf(label, at + 1)) {
                int from = Math.max(at + label.length(), floor);
                floor = Math.max(floor, scan(t, from, Math.min(t.length, at + label.length() + WINDOW), out));
            }
            floor = 0;
        }
        sortOnePerStart(out, before);
    }

    /** Adds each key token starting in [from, to); returns the end of the last one (or from). */
    private int scan(ScanText t, int from, int to, List<Finding> out) {
        int last = from;
        int i = from;
        while (i < to) {
            if (!isKeyChar(t.charAt(i)) || i > 0 && isKeyChar(t.charAt(i - 1))) {
                i++;
                continue;
            }
            int end = i;
            while (end < t.length && isKeyChar(t.charAt(end)) && end - i <= LENGTH) end++;
            if (end - i == LENGTH && t.at(end) != '=' && mixed(t.text, i, end)) {
                add(out, i, end);
                last = end;
            }
            i = end;
        }
        return last;
    }

    private static boolean isKeyChar(char c) {
        return ScanText.isAsciiAlnum(c) || c == '/' || c == '+';
    }

    private static boolean mixed(String s, int from, int to) {
        boolean upper = false;
        boolean lower = false;
        boolean other = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (ScanText.isUpper(c)) upper = true;
            else if (c >= 'a' && c <= 'z') lower = true;
            else other = true;
        }
        return upper && lower && other;
    }
}
