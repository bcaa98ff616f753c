package io.bricksllm.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestOidcProvider;
import io.bricksllm.testing.TestOidcProvider.User;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OIDC single sign-on against a real provider started by the test: the authorization code flow with PKCE driven by
 * an HTTP client that follows redirects and keeps cookies, and bearer tokens given to the admin API (issue 21.3/21.4).
 */
class OidcSignInTest {
    static final String CLIENT = "bricks-console";
    static final String SECRET = "oidc-client-secret-0123456789";
    static TestOidcProvider idp;
    static TestGateway gw;

    @BeforeAll
    static void start() {
        idp = new TestOidcProvider(CLIENT, SECRET);
        gw = TestGateway.start(Map.of("OIDC_ISSUER_URL", idp.issuer(), "OIDC_CLIENT_ID", CLIENT, "OIDC_CLIENT_SECRET", SECRET));
    }

    @AfterAll
    static void stop() {
        gw.close();
        idp.close();
    }

    @Test
    void codeFlowSignsInWithTheRolesOfTheClaim() {
        idp.nextUser(new User("bob-sub", "Bob", List.of("viewer", "team-admin:t1", "superuser")));
        Browser b = new Browser(gw.adminUrl());
        assertThat(b.get("/ui/api/session").json().path("methods").toString()).isEqualTo("[\"oidc\"]");
        var landed = b.get("/ui/oidc/login"); // → provider → callback → /ui/
        assertThat(landed.raw().uri().getPath()).isEqualTo("/ui/");
        assertThat(idp.lastAuthorizeQuery.get()).contains("code_challenge_method=S256").contains("nonce=").contains("state=");
        var s = b.get("/ui/api/session").json();
        assertThat(s.path("signedIn").asBoolean()).isTrue();
        assertThat(s.path("subject").asText()).isEqualTo("bob-sub");
        assertThat(s.path("name").asText()).isEqualTo("Bob");
        assertThat(s.path("method").asText()).isEqualTo("oidc");
        // unknown role names are dropped, never widened
        assertThat(s.path("roles").toString()).isEqualTo("[\"viewer\",\"team-admin:t1\"]");
        assertThat(s.toString()).doesNotContain(SECRET);
        // the viewer reads, and is refused a change even with the CSRF token
        b.csrf = s.path("csrfToken").asText();
        assertThat(b.get("/api/provider-settings").status()).isEqualTo(200);
        assertThat(b.send("POST", "/api/routes", "{}").status()).isEqualTo(403);
    }

    @Test
    void aCallbackWithoutTheStateCookieOfThisBrowserIsRefused() {
        Browser attacker = new Browser(gw.adminUrl(), HttpClient.Redirect.NEVER);
        var toProvider = attacker.get("/ui/oidc/login");
        assertThat(toProvider.status()).isEqualTo(302);
        String authorize = toProvider.raw().headers().firstValue("Location").orElseThrow();
        assertThat(authorize).startsWith(idp.issuer() + "/authorize?");
        var back = attacker.get(authorize);
        String callback = back.raw().headers().firstValue("Location").orElseThrow();
        // a victim's browser, led to the attacker's callback URL, has no matching state cookie
        Browser victim = new Browser(gw.adminUrl(), HttpClient.Redirect.NEVER);
        var refused = victim.get(callback);
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.raw().headers().firstValue("Location").orElseThrow()).startsWith("/ui/?signInError=");
        assertThat(victim.get("/ui/api/session").json().path("signedIn").asBoolean()).isFalse();
        // the browser that started the sign-in completes it, once: a replayed callback finds its state used up
        var own = attacker.get(callback);
        assertThat(own.raw().headers().firstValue("Location").orElseThrow()).isEqualTo("/ui/");
        var replay = attacker.get(callback);
        assertThat(replay.raw().headers().firstValue("Location").orElseThrow()).startsWith("/ui/?signInError=");
    }

    @Test
    void aUserWithoutAConsoleRoleIsNotSignedIn() {
        idp.nextUser(new User("nobody", "Nobody", List.of("employee")));
        Browser b = new Browser(gw.adminUrl());
        var landed = b.get("/ui/oidc/login");
        assertThat(landed.raw().uri().getQuery()).contains("signInError=");
        assertThat(b.get("/ui/api/session").json().path("signedIn").asBoolean()).isFalse();
    }

    @Test
    void bearerTokensOfTheProviderAreAcceptedWithTheirRoles() {
        User admin = new User("carol", "Carol", List.of("admin"));
        AdminClient api = gw.admin.withHeader("Authorization", "Bearer " + idp.token(admin));
        assertThat(api.get("/api/provider-settings").status()).isEqualTo(200);
        assertThat(api.post("/api/teams", "{\"name\":\"from-bearer\"}").status()).isEqualTo(200);
        AdminClient viewer = gw.admin.withHeader("Authorization", "Bearer " + idp.token(new User("v", "V", List.of("viewer"))));
        assertThat(viewer.get("/api/teams").status()).isEqualTo(200);
        assertThat(viewer.post("/api/teams", "{\"name\":\"refused\"}").status()).isEqualTo(403);
    }

    @Test
    void bearerTokensThatDoNotVerifyAreRefused() {
        User admin = new User("mallory", "Mallory", List.of("admin"));
        Map<String, String> bad = Map.of(
                "wrong issuer", idp.tokenWithIssuer(admin, "https://evil.example"),
                "expired", idp.expiredToken(admin, Duration.ofMinutes(5)),
                "bad signature", idp.tokenWithForeignSignature(admin),
                "other client", idp.tokenForClient(admin, "someone-else"),
                "not a JWT", "abc.def");
        bad.forEach((why, token) -> {
            var r = gw.admin.withHeader("Authorization", "Bearer " + token).get("/api/teams");
            assertThat(r.status()).as(why).isEqualTo(401);
            assertThat(r.json().path("type").asText()).as(why).isEqualTo("/errors/unauthorized");
            assertThat(r.body()).as(why).doesNotContain(token);
        });
        // no ADMIN_PASS: an X-API-KEY proves nothing and no credential at all is no longer open
        assertThat(gw.admin.withHeader("X-API-KEY", "").get("/api/teams").status()).isEqualTo(401);
        assertThat(gw.admin.get("/api/teams").status()).isEqualTo(401);
    }

    @Test
    void anUnreachableProviderIsA503NotA401() {
        int closed = io.bricksllm.testing.TestDatabases.freePort();
        try (TestGateway down = TestGateway.start(Map.of("OIDC_ISSUER_URL", "http://127.0.0.1:" + closed,
                "OIDC_CLIENT_ID", CLIENT, "OIDC_CLIENT_SECRET", SECRET))) {
            var r = down.admin.withHeader("Authorization", "Bearer " + idp.token(new User("a", "A", List.of("admin"))))
                    .get("/api/teams");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().path("type").asText()).isEqualTo("/errors/oidc-unavailable");
            // the sign-in page sends the browser back to the console with the reason instead of failing blank
            var landed = new Browser(down.adminUrl()).get("/ui/oidc/login");
            assertThat(landed.raw().uri().getQuery()).contains("signInError=");
        }
    }
}
