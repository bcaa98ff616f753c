package io.bricksllm.admin.auth;

import io.bricksllm.admin.AdminError;
import io.bricksllm.store.SecretHash;
import java.util.List;
import java.util.Optional;

/**
 * Who is calling the admin API, from the request's credentials, in this order:
 * <ol>
 *   <li>{@code X-API-KEY} equal to ADMIN_PASS: {@code admin} (an API client; no CSRF token: nothing ambient);</li>
 *   <li>{@code Authorization: Bearer <OIDC access or ID token>} when OIDC is configured: the roles of its claim;</li>
 *   <li>the console's {@code bricks_session} cookie: the session's roles; a change (any method but GET/HEAD) must
 *       carry {@code X-CSRF-Token} equal to the session's token, else 403;</li>
 *   <li>nothing, with no sign-in configured (neither ADMIN_PASS nor OIDC): a <em>browser</em> request is the local
 *       read-only console (from a loopback address only), anything else the open admin API of the original.</li>
 * </ol>
 * A browser request is one with {@code X-Bricks-Console} (the console's pages send it on every call), a session
 * cookie, or the {@code Origin} / {@code Sec-Fetch-Site} headers every current browser adds and API clients (curl,
 * SDKs) do not: so a page on another site cannot use the open admin API through a visitor's browser either (a
 * cross-site form post carries Origin). Blocking (session read, JWKS fetch): call on a worker thread.
 */
public final class AdminAuthenticator {
    public static final String SESSION_COOKIE = "bricks_session";
    public static final String CONSOLE_HEADER = "X-Bricks-Console";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    /** The parts of a request that authentication reads (never logged: it holds credentials). */
    public record Credentials(String method, String apiKey, String authorization, String sessionToken, String csrfToken,
                              boolean browser, boolean local) {
        @Override
        public String toString() {
            return "Credentials[" + method + (browser ? ", browser" : "") + (local ? ", local" : "") + "]";
        }

        boolean change() {
            return !"GET".equals(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method);
        }
    }

    /** The caller, and the console session it rode on (null for API keys, bearer tokens, open and local calls). */
    public record Caller(Principal principal, ConsoleSession session) {}

    static final Principal OPEN = new Principal("anonymous", "anonymous", Principal.AuthMethod.OPEN, List.of(Principal.ADMIN));
    static final Principal API_KEY = new Principal("admin", "admin (X-API-KEY)", Principal.AuthMethod.API_KEY, List.of(Principal.ADMIN));
    static final Principal LOCAL = new Principal("local", "local console (read-only)", Principal.AuthMethod.LOCAL,
            List.of(Principal.VIEWER));

    private final String adminPass;
    private final SessionStore sessions; // null: no console sessions (an AdminServer without the console)
    private final OidcClient oidc;       // null: OIDC not configured

    public AdminAuthenticator(String adminPass, SessionStore sessions, OidcClient oidc) {
        this.adminPass = adminPass == null ? "" : adminPass;
        this.sessions = sessions;
        this.oidc = oidc;
    }

    public boolean passwordEnabled() {
        return !adminPass.isEmpty();
    }

    public boolean oidcEnabled() {
        return oidc != null;
    }

    public boolean signInConfigured() {
        return passwordEnabled() || oidcEnabled();
    }

    public Optional<OidcClient> oidc() {
        return Optional.ofNullable(oidc);
    }

    public Optional<SessionStore> sessions() {
        return Optional.ofNullable(sessions);
    }

    /** Constant-time comparison with ADMIN_PASS; false when no password is configured. */
    public boolean passwordMatches(String presented) {
        return passwordEnabled() && presented != null && SecretHash.constantTimeEquals(presented, adminPass);
    }

    /** True when answering needs no database or provider (API key, open, local): no worker thread needed. */
    public boolean quick(Credentials c) {
        return c.authorization() == null && (c.sessionToken() == null || sessions == null);
    }

    /** The caller, or a 401/403 AdminError. */
    public Caller authenticate(Credentials c) {
        if (c.apiKey() != null && signInConfigured()) {
            if (passwordMatches(c.apiKey())) return new Caller(API_KEY, null);
            throw unauthorized("a valid X-API-KEY header is required for the admin API");
        }
        if (c.authorization() != null && oidc != null) {
            String auth = c.authorization();
            if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) throw unauthorized("Authorization must be Bearer <token>");
            try {
                var claims = oidc.verifyBearer(auth.substring(7).trim());
                return new Caller(oidc.principal(claims, Principal.AuthMethod.BEARER), null);
            } catch (OidcClient.OidcException e) {
                if (e.unavailable()) {
                    throw new AdminError(503, "/errors/oidc-unavailable", "OIDC provider unavailable",
                            "the token could not be checked: " + e.getMessage());
                }
                throw unauthorized(e.getMessage());
            }
        }
        if (c.sessionToken() != null && sessions != null && signInConfigured()) {
            ConsoleSession s = sessions.find(c.sessionToken())
                    .orElseThrow(() -> unauthorized("the console session has ended or expired: sign in again"));
            if (c.change() && (c.csrfToken() == null || !SecretHash.constantTimeEquals(c.csrfToken(), s.csrfToken()))) {
                throw new AdminError(403, "/errors/csrf", "missing or wrong CSRF token",
                        "a change from the console must carry the session's token in " + CSRF_HEADER);
            }
            return new Caller(s.principal(), s);
        }
        if (signInConfigured()) {
            throw unauthorized(passwordEnabled() ? "a valid X-API-KEY header is required for the admin API"
                    : "sign in to the console, or send Authorization: Bearer <OIDC token>");
        }
        if (!c.browser()) return new Caller(OPEN, null);
        if (c.local()) return new Caller(LOCAL, null);
        throw new AdminError(403, "/errors/console-local-only", "console is local only", "with no sign-in configured the"
                + " console is read-only and answers on localhost only; " + Authorizer.ENABLE_SIGN_IN.substring(
                Authorizer.ENABLE_SIGN_IN.indexOf("set ADMIN_PASS")));
    }

    static AdminError unauthorized(String detail) {
        return new AdminError(401, "/errors/unauthorized", "unauthorized", detail);
    }
}
