package io.bricksllm.admin.auth;

/** A signed-in console session as stored (the cookie's token itself is never stored, only its hash). */
public record ConsoleSession(Principal principal, String csrfToken, long createdAtMillis, long expiresAtMillis) {
    /** Never prints the CSRF token. */
    @Override
    public String toString() {
        return "ConsoleSession[" + principal.subject() + ", expires " + expiresAtMillis + "]";
    }
}
