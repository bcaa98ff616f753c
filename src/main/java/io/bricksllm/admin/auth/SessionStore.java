package io.bricksllm.admin.auth;

import io.bricksllm.store.Database;
import io.bricksllm.store.Json;
import io.bricksllm.store.SecretHash;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Console sessions and OIDC sign-ins under way, in the database. Stored rather than signed statelessly so that a
 * logout ends the session at once on every instance of a scale-out deployment (they share the PostgreSQL database)
 * without a revocation list; the cost is one indexed read per console call, on a worker thread like the call itself.
 * Only the SHA-256 of a cookie token is stored. Blocking: worker threads only.
 */
public final class SessionStore {
    /** An OIDC sign-in must come back from the provider within this. */
    static final Duration LOGIN_WINDOW = Duration.ofMinutes(10);

    /** A new session: the cookie's token (shown once, to the browser) and what is stored. */
    public record Created(String token, ConsoleSession session) {
        @Override
        public String toString() {
            return "Created[" + session + "]";
        }
    }

    /** What the callback of an OIDC sign-in needs from its start. */
    public record PendingLogin(String nonce, String codeVerifier) {
        @Override
        public String toString() {
            return "PendingLogin[…]";
        }
    }

    private final Database db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public SessionStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** 32 random bytes, URL-safe base64 (a session token, a CSRF token, an OIDC state or nonce). */
    public String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public Created create(Principal who, Duration ttl) {
        long now = clock.millis();
        String token = randomToken();
        ConsoleSession s = new ConsoleSession(who, randomToken(), now, now + ttl.toMillis());
        db.write(c -> {
            // expired rows go as new ones come, so the table holds live sessions only
            Database.update(c, "DELETE FROM console_sessions WHERE expires_at < ?", now);
            return Database.update(c, "INSERT INTO console_sessions (token_hash, subject, name, method, roles, csrf_token,"
                            + " created_at, expires_at) VALUES (?,?,?,?,?,?,?,?)", SecretHash.sha256Hex(token), who.subject(),
                    who.name(), who.method().label(), Json.write(who.roles()), s.csrfToken(), now, s.expiresAtMillis());
        });
        return new Created(token, s);
    }

    /** The live session of a cookie token; empty when unknown, ended or expired. */
    public Optional<ConsoleSession> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) return Optional.empty();
        long now = clock.millis();
        List<ConsoleSession> found = db.query("SELECT subject, name, method, roles, csrf_token, created_at, expires_at"
                + " FROM console_sessions WHERE token_hash=?", rs -> new ConsoleSession(
                new Principal(rs.getString("subject"), rs.getString("name"), Principal.AuthMethod.ofLabel(rs.getString("method")),
                        Principal.knownRoles(Json.strings(rs.getString("roles")))),
                rs.getString("csrf_token"), rs.getLong("created_at"), rs.getLong("expires_at")), SecretHash.sha256Hex(token));
        return found.stream().filter(s -> s.expiresAtMillis() > now).findFirst();
    }

    /** Ends a session (logout); a no-op for an unknown token. */
    public void delete(String token) {
        if (token == null || token.isEmpty()) return;
        db.update("DELETE FROM console_sessions WHERE token_hash=?", SecretHash.sha256Hex(token));
    }

    public void saveLogin(String state, PendingLogin login) {
        long now = clock.millis();
        db.write(c -> {
            Database.update(c, "DELETE FROM console_oidc_logins WHERE created_at < ?", now - LOGIN_WINDOW.toMillis());
            return Database.update(c, "INSERT INTO console_oidc_logins (state_hash, nonce, code_verifier, created_at)"
                    + " VALUES (?,?,?,?)", SecretHash.sha256Hex(state), login.nonce(), login.codeVerifier(), now);
        });
    }

    /** Takes (and removes) a sign-in under way: a state is good for one callback only. */
    public Optional<PendingLogin> takeLogin(String state) {
        if (state == null || state.isEmpty() || state.length() > 256) return Optional.empty();
        String hash = SecretHash.sha256Hex(state);
        long oldest = clock.millis() - LOGIN_WINDOW.toMillis();
        return db.write(c -> {
            List<PendingLogin> found = Database.query(c, "SELECT nonce, code_verifier, created_at FROM console_oidc_logins"
                    + " WHERE state_hash=?", rs -> rs.getLong("created_at") >= oldest
                    ? new PendingLogin(rs.getString("nonce"), rs.getString("code_verifier")) : null, hash);
            Database.update(c, "DELETE FROM console_oidc_logins WHERE state_hash=?", hash);
            return found.stream().filter(java.util.Objects::nonNull).findFirst();
        });
    }
}
