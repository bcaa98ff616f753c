package io.bricksllm.proxy.forward;

import java.util.Arrays;
import java.util.Locale;

/**
 * A fixed set of header names matched case-insensitively without lower-casing the name first: headers are
 * filtered on every request in both directions, and a lower-cased copy per header was garbage for nothing.
 * Names are ASCII (RFC 9110 tokens); a name with other characters simply matches nothing.
 */
final class HeaderNames {
    private final String[] names;
    private final String[][] byLength;

    HeaderNames(String... names) {
        this.names = names.clone();
        int longest = Arrays.stream(names).mapToInt(String::length).max().orElse(0);
        String[][] table = new String[longest + 1][0];
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            String[] same = table[lower.length()];
            String[] grown = Arrays.copyOf(same, same.length + 1);
            grown[same.length] = lower;
            table[lower.length()] = grown;
        }
        this.byLength = table;
    }

    /** This set with {@code more} names. */
    HeaderNames plus(String... more) {
        String[] all = Arrays.copyOf(names, names.length + more.length);
        System.arraycopy(more, 0, all, names.length, more.length);
        return new HeaderNames(all);
    }

    boolean contains(CharSequence name) {
        int n = name.length();
        if (n >= byLength.length) return false;
        for (String candidate : byLength[n]) {
            if (equalsLowerAscii(name, candidate)) return true;
        }
        return false;
    }

    /** {@code lower} is already lower case; ASCII letters of {@code name} are folded as they are compared. */
    private static boolean equalsLowerAscii(CharSequence name, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') c = (char) (c + ('a' - 'A'));
            if (c != lower.charAt(i)) return false;
        }
        return true;
    }
}
