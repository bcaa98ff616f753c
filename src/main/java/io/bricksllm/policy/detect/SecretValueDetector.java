package io.bricksllm.policy.detect;

import java.util.Set;

/**
 * Passwords and user names after a label with an explicit connector ("password: hunter2",
 * "pwd=s3cr3t", "my passcode is 'open sesame'", "username: jdoe"). The value is a quoted string or
 * a run of non-blank characters without trailing punctuation; prose after the label ("password is
 * required", "username: <your name>") is not a value.
 */
final class SecretValueDetector extends LabelledValueDetector {

    private static final int MAX_VALUE = 128;
    /** Words that follow "password is" / "username:" in prose rather than a value. */
    private static final Set<String> PROSE = Set.of(
            "required", "incorrect", "invalid", "wrong", "missing", "empty", "correct", "valid", "too", "not", "case",
            "the", "a", "an", "your", "my", "our", "their", "his", "her", "its", "this", "that", "same", "different",
            "optional", "mandatory", "set", "changed", "reset", "expired", "strong", "weak", "hidden", "stored", "used",
            "needed", "shown", "sent", "unique", "taken", "available", "long", "short", "secure", "protected",
            "encrypted", "hashed", "blank", "null", "none", "also", "still", "being", "been", "and", "or", "for", "to",
            "at", "in", "on", "of", "with", "must", "should", "will", "can", "cannot", "may", "be", "field", "here",
            "below", "above", "updated", "saved", "provided", "entered", "accepted", "rejected", "locked", "n/a",
            "unknown", "redacted", "now", "then", "only", "always", "never", "just");

    private final int minLength;

    private SecretValueDetector(PiiEntity entity, int minLength, String... labels) {
        super(entity, labels);
        this.minLength = minLength;
    }

    static SecretValueDetector password() {
        return new SecretValueDetector(PiiEntity.PASSWORD, 3,
                "password", "passwd", "pwd", "passcode", "passphrase", "pass phrase", "pass word");
    }

    static SecretValueDetector username() {
        return new SecretValueDetector(PiiEntity.USERNAME, 2,
                "username", "user name", "userid", "user id", "login name", "login id", "login");
    }

    @Override
    int valueEnd(ScanText t, int start, char quote, boolean explicit, String connector) {
        if (!explicit) return -1;
        if (quote != 0) return quotedEnd(t, start, quote);
        char open = t.at(start);
        if (open == '<' || open == '{' || open == '$' || open == '[' || open == '*' && t.at(start + 1) == '*') {
            return -1; // a placeholder, a template or an already masked value
        }
        int i = start;
        while (i < t.length && i - start < MAX_VALUE && !Character.isWhitespace(t.charAt(i))) i++;
        while (i > start && ".,;:)]}\"'".indexOf(t.charAt(i - 1)) >= 0) i--; // sentence punctuation, closing quotes
        if (i - start < minLength) return -1;
        if (PROSE.contains(t.lower().substring(start, i))) return -1;
        return i;
    }

    /** A quoted value: up to the closing quote, on one line. */
    private int quotedEnd(ScanText t, int start, char quote) {
        int i = start;
        while (i < t.length && i - start <= MAX_VALUE) {
            char c = t.charAt(i);
            if (c == quote) return i - start >= minLength ? i : -1;
            if (c == '\n' || c == '\r') return -1;
            i++;
        }
        return -1;
    }
}
