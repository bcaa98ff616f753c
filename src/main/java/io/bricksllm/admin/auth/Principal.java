package io.bricksllm.admin.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who makes an admin call, how they proved it, and their roles: {@code admin}, {@code viewer} or
 * {@code team-admin:<team id>} (any number of them). Unknown role names are dropped, never widened.
 */
public record Principal(String subject, String name, AuthMethod method, List<String> roles) {

    /** How the caller was authenticated; {@link #browser()} methods rode on a session cookie or the local console. */
    public enum AuthMethod {
        /** X-API-KEY equal to ADMIN_PASS. */
        API_KEY("api-key", false),
        /** No sign-in configured and the call is not from a browser: the admin API is open, as the original. */
        OPEN("open", false),
        /** An OIDC access or ID token in Authorization: Bearer. */
        BEARER("bearer", false),
        /** A console session signed in with ADMIN_PASS. */
        PASSWORD("password", true),
        /** A console session signed in through OIDC. */
        OIDC("oidc", true),
        /** The console with no sign-in configured: read-only, from localhost only. */
        LOCAL("local", true);

        private final String label;
        private final boolean browser;

        AuthMethod(String label, boolean browser) {
            this.label = label;
            this.browser = browser;
        }

        public String label() {
            return label;
        }

        public boolean browser() {
            return browser;
        }

        public static AuthMethod ofLabel(String label) {
            for (AuthMethod m : values()) if (m.label.equals(label)) return m;
            throw new IllegalArgumentException("unknown auth method " + label);
        }
    }

    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";
    public static final String TEAM_ADMIN_PREFIX = "team-admin:";

    public Principal {
        roles = List.copyOf(roles);
    }

    /** Keeps the role names this gateway knows (trimmed, deduplicated, in order). */
    public static List<String> knownRoles(Iterable<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : names) {
            if (raw == null) continue;
            String r = raw.trim();
            if (r.equals(ADMIN) || r.equals(VIEWER)) out.add(r);
            else if (r.startsWith(TEAM_ADMIN_PREFIX) && r.length() > TEAM_ADMIN_PREFIX.length()) out.add(r);
        }
        return List.copyOf(out);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }

    public boolean isViewer() {
        return roles.contains(VIEWER);
    }

    /** The teams this principal administers ({@code team-admin:<id>} roles). */
    public Set<String> teams() {
        Set<String> out = new LinkedHashSet<>();
        for (String r : roles) if (r.startsWith(TEAM_ADMIN_PREFIX)) out.add(r.substring(TEAM_ADMIN_PREFIX.length()));
        return out;
    }
}
