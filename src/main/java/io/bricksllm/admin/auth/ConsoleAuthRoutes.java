package io.bricksllm.admin.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.admin.AdminError;
import io.bricksllm.store.Json;
import io.bricksllm.store.SecretHash;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's sign-in endpoints on the admin port (the pages under /ui/ call them):
 * <ul>
 *   <li>{@code GET /ui/api/session}: who is signed in, the CSRF token, which sign-in methods are configured;</li>
 *   <li>{@code POST /ui/api/login} {@code {"password":…}}: a session cookie for ADMIN_PASS (throttled per address);</li>
 *   <li>{@code POST /ui/api/logout} (needs {@code X-CSRF-Token}): ends the session on every instance;</li>
 *   <li>{@code GET /ui/oidc/login} and {@code GET /ui/oidc/callback}: OIDC authorization code + PKCE sign-in.</li>
 * </ul>
 * The session cookie is HttpOnly, SameSite=Strict, Path=/, and Secure when the request came over TLS (or a proxy
 * says so with X-Forwarded-Proto: https). Database and provider calls run on worker threads.
 */
public final class ConsoleAuthRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAuthRoutes.class);
    static final String STATE_COOKIE = "bricks_oidc_state";
    static final String HINT = "sign-in is not configured, so the console is read-only and answers on localhost only."
            + " Set ADMIN_PASS for password sign-in, or OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET for single"
            + " sign-on, and restart the gateway.";

    private final Vertx vertx;
    private final AdminAuthenticator auth;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final Duration ttl;

    public ConsoleAuthRoutes(Vertx vertx, AdminAuthenticator auth, SessionStore sessions, LoginThrottle throttle, Duration ttl) {
        this.vertx = vertx;
        this.auth = auth;
        this.sessions = sessions;
        this.throttle = throttle;
        this.ttl = ttl;
    }

    /** Registers the endpoints; call after the body handler. */
    public void register(Router router) {
        router.get("/ui/api/session").handler(this::session);
        router.post("/ui/api/login").handler(this::login);
        router.post("/ui/api/logout").handler(this::logout);
        router.get("/ui/oidc/login").handler(this::oidcLogin);
        router.get("/ui/oidc/callback").handler(this::oidcCallback);
    }

    private void session(RoutingContext ctx) {
        String token = cookie(ctx.request(), AdminAuthenticator.SESSION_COOKIE);
        boolean local = RequestFacts.local(ctx.request());
        blocking(ctx, () -> token == null ? Optional.<ConsoleSession>empty() : sessions.find(token), found ->
                json(ctx, 200, sessionJson(found.orElse(null), local)));
    }

    ObjectNode sessionJson(ConsoleSession s, boolean local) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        boolean readOnlyLocal = !auth.signInConfigured() && local;
        Principal p = s != null && auth.signInConfigured() ? s.principal() : readOnlyLocal ? AdminAuthenticator.LOCAL : null;
        n.put("signedIn", s != null && auth.signInConfigured());
        if (p != null) {
            n.put("subject", p.subject());
            n.put("name", p.name());
            ArrayNode roles = n.putArray("roles");
            p.roles().forEach(roles::add);
        } else {
            n.putArray("roles");
        }
        if (s != null && auth.signInConfigured()) {
            n.put("csrfToken", s.csrfToken());
            n.put("method", s.principal().method().label());
            n.put("expiresAt", s.expiresAtMillis() / 1000);
        }
        ArrayNode methods = n.putArray("methods");
        if (auth.passwordEnabled()) methods.add("password");
        if (auth.oidcEnabled()) methods.add("oidc");
        n.put("readOnlyLocal", readOnlyLocal);
        if (!auth.signInConfigured()) n.put("hint", HINT);
        return n;
    }

    private void login(RoutingContext ctx) {
        if (!auth.passwordEnabled()) {
            error(ctx, new AdminError(404, "/errors/password-sign-in-off", "password sign-in is not configured",
                    "set ADMIN_PASS to sign in with a password"));
            return;
        }
        String password;
        try {
            JsonNode body = Json.read(ctx.body().asString() == null ? "{}" : ctx.body().asString(), JsonNode.class);
            JsonNode p = body == null ? null : body.get("password");
            if (p == null || !p.isTextual()) throw new IllegalArgumentException();
            password = p.asText();
        } catch (RuntimeException e) {
            error(ctx, AdminError.validation("the body must be {\"password\":\"…\"}"));
            return;
        }
        String address = RequestFacts.address(ctx.request());
        long wait = throttle.retryAfterSeconds(address);
        if (wait > 0) {
            ctx.response().putHeader("Retry-After", String.valueOf(wait));
            error(ctx, new AdminError(429, "/errors/too-many-sign-in-failures", "too many failed sign-ins",
                    "too many wrong passwords from this address: try again in " + wait + " s"));
            return;
        }
        if (!auth.passwordMatches(password)) {
            throttle.failed(address);
            LOG.warn("console sign-in with a wrong password from {}", address);
            error(ctx, AdminAuthenticator.unauthorized("wrong password"));
            return;
        }
        throttle.succeeded(address);
        Principal admin = new Principal("admin", "admin", Principal.AuthMethod.PASSWORD, java.util.List.of(Principal.ADMIN));
        blocking(ctx, () -> sessions.create(admin, ttl), created -> {
            setSessionCookie(ctx, created.token());
            json(ctx, 200, sessionJson(created.session(), false));
        });
    }

    private void logout(RoutingContext ctx) {
        String token = cookie(ctx.request(), AdminAuthenticator.SESSION_COOKIE);
        String csrf = ctx.request().getHeader(AdminAuthenticator.CSRF_HEADER);
        blocking(ctx, () -> {
            if (token == null) return true;
            Optional<ConsoleSession> s = sessions.find(token);
            if (s.isEmpty()) return true; // already over: nothing to end
            if (csrf == null || !SecretHash.constantTimeEquals(csrf, s.get().csrfToken())) return false;
            sessions.delete(token);
            return true;
        }, ended -> {
            if (!ended) {
                error(ctx, new AdminError(403, "/errors/csrf", "missing or wrong CSRF token",
                        "logout must carry the session's token in " + AdminAuthenticator.CSRF_HEADER));
                return;
            }
            ctx.response().addCookie(sessionCookie("", RequestFacts.secure(ctx.request())).setMaxAge(0));
            json(ctx, 200, sessionJson(null, RequestFacts.local(ctx.request())));
        });
    }

    private void oidcLogin(RoutingContext ctx) {
        Optional<OidcClient> oidc = auth.oidc();
        if (oidc.isEmpty()) {
            error(ctx, new AdminError(404, "/errors/oidc-off", "OIDC sign-in is not configured",
                    "set OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET to sign in with single sign-on"));
            return;
        }
        URI redirect = redirectUri(ctx.request(), oidc.get());
        String state = sessions.randomToken();
        String nonce = sessions.randomToken();
        String verifier = sessions.randomToken() + sessions.randomToken(); // 86 characters, within PKCE's 43..128
        blocking(ctx, () -> {
            sessions.saveLogin(state, new SessionStore.PendingLogin(nonce, verifier));
            return oidc.get().authorizationUrl(redirect, state, nonce, verifier);
        }, url -> {
            // Lax, not Strict: the callback is a top-level navigation coming back from the provider's site
            ctx.response().addCookie(Cookie.cookie(STATE_COOKIE, state).setPath("/ui/oidc").setHttpOnly(true)
                    .setSameSite(CookieSameSite.LAX).setSecure(RequestFacts.secure(ctx.request()))
                    .setMaxAge(SessionStore.LOGIN_WINDOW.toSeconds()));
            ctx.response().setStatusCode(302).putHeader("Location", url.toString()).putHeader("Cache-Control", "no-store").end();
        });
    }

    private void oidcCallback(RoutingContext ctx) {
        Optional<OidcClient> oidc = auth.oidc();
        if (oidc.isEmpty()) {
            error(ctx, new AdminError(404, "/errors/oidc-off", "OIDC sign-in is not configured", "OIDC is not configured"));
            return;
        }
        HttpServerRequest r = ctx.request();
        String providerError = r.getParam("error");
        String code = r.getParam("code");
        String state = r.getParam("state");
        String expected = cookie(r, STATE_COOKIE);
        ctx.response().addCookie(Cookie.cookie(STATE_COOKIE, "").setPath("/ui/oidc").setHttpOnly(true).setMaxAge(0));
        if (providerError != null) {
            backToConsole(ctx, "the provider refused the sign-in: " + providerError);
            return;
        }
        // the state must be the one this browser was sent off with (its cookie): no one else's code lands here
        if (code == null || state == null || expected == null || !SecretHash.constantTimeEquals(state, expected)) {
            backToConsole(ctx, "the sign-in could not be matched to this browser; start it again");
            return;
        }
        URI redirect = redirectUri(r, oidc.get());
        blocking(ctx, () -> {
            SessionStore.PendingLogin pending = sessions.takeLogin(state).orElseThrow(
                    () -> new OidcClient.OidcException("the sign-in has expired or was already used; start it again"));
            var claims = oidc.get().exchange(code, pending.codeVerifier(), redirect, pending.nonce());
            Principal who = oidc.get().principal(claims, Principal.AuthMethod.OIDC);
            if (who.roles().isEmpty()) {
                throw new OidcClient.OidcException(who.subject() + " has no console role in claim "
                        + oidc.get().settings().rolesClaim() + " (admin, viewer or team-admin:<team id>)");
            }
            return sessions.create(who, ttl);
        }, created -> {
            setSessionCookie(ctx, created.token());
            ctx.response().setStatusCode(302).putHeader("Location", "/ui/").putHeader("Cache-Control", "no-store").end();
        });
    }

    private void backToConsole(RoutingContext ctx, String message) {
        LOG.info("console OIDC sign-in failed: {}", message);
        ctx.response().setStatusCode(302).putHeader("Cache-Control", "no-store")
                .putHeader("Location", "/ui/?signInError=" + URLEncoder.encode(message, StandardCharsets.UTF_8)).end();
    }

    /** OIDC_REDIRECT_URL, or this request's own origin + /ui/oidc/callback. */
    private static URI redirectUri(HttpServerRequest r, OidcClient oidc) {
        Optional<URI> configured = oidc.settings().redirectUrl();
        if (configured.isPresent()) return configured.get();
        String host = r.authority() != null ? r.authority().toString() : r.getHeader("Host");
        return URI.create((RequestFacts.secure(r) ? "https" : "http") + "://" + host + "/ui/oidc/callback");
    }

    private void setSessionCookie(RoutingContext ctx, String token) {
        ctx.response().addCookie(sessionCookie(token, RequestFacts.secure(ctx.request())).setMaxAge(ttl.toSeconds()));
    }

    static Cookie sessionCookie(String value, boolean secure) {
        return Cookie.cookie(AdminAuthenticator.SESSION_COOKIE, value).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(secure);
    }

    private static String cookie(HttpServerRequest r, String name) {
        Cookie c = r.getCookie(name);
        return c == null || c.getValue().isEmpty() ? null : c.getValue();
    }

    private <T> void blocking(RoutingContext ctx, Callable<T> work, java.util.function.Consumer<T> then) {
        vertx.executeBlocking(work, false).onComplete(ar -> {
            if (ctx.response().ended() || ctx.response().closed()) return;
            if (ar.succeeded()) {
                then.accept(ar.result());
            } else if (ar.cause() instanceof OidcClient.OidcException e) {
                backToConsole(ctx, e.getMessage());
            } else if (ar.cause() instanceof AdminError e) {
                error(ctx, e);
            } else {
                LOG.error("console {} {} failed", ctx.request().method(), ctx.request().path(), ar.cause());
                error(ctx, new AdminError(503, "/errors/storage-unavailable", "sign-in unavailable",
                        "the sign-in could not be completed; try again"));
            }
        });
    }

    private static void json(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.toString());
    }

    private static void error(RoutingContext ctx, AdminError e) {
        ctx.response().setStatusCode(e.status()).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(e.toJson(ctx.request().path()));
    }
}
