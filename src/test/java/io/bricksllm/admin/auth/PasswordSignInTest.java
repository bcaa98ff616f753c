package io.bricksllm.admin.auth;

import io.bricksllm.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Console sign-in with ADMIN_PASS: cookie flags, CSRF on changes, logout, expiry, throttling (issue 21.3). */
class PasswordSignInTest {
    static final String PASS = "console-pass-0123456789";
    static final MutableClock clock = new MutableClock(java.time.Instant.now());
    static TestGateway gw;
    static String setting;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of("ADMIN_PASS", PASS, "SESSION_TTL", "1h"), clock);
        setting = gw.admin.withHeader("X-API-KEY", PASS).createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String keyBody(String name) {
        return "{\"name\":\"%s\",\"key\":\"sk-%s\",\"settingId\":\"%s\"}".formatted(name, UUID.randomUUID(), setting);
    }

    @Test
    void signedOutSessionSaysHowToSignIn() {
        var s = new Browser(gw.adminUrl()).get("/ui/api/session");
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.json().path("signedIn").asBoolean()).isFalse();
        assertThat(s.json().path("methods").toString()).isEqualTo("[\"password\"]");
        assertThat(s.json().path("readOnlyLocal").asBoolean()).isFalse();
        assertThat(s.json().has("csrfToken")).isFalse();
    }

    @Test
    void wrongPasswordIsA401AndNoCookie() {
        Browser b = new Browser(gw.adminUrl()).header("X-Forwarded-For", "203.0.113.7");
        var a = b.login("not-the-password");
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.json().path("type").asText()).isEqualTo("/errors/unauthorized");
        assertThat(a.setCookies()).isEmpty();
        assertThat(b.get("/api/provider-settings").status()).isEqualTo(401);
    }

    @Test
    void signInSetsAStrictHttpOnlyCookieAndChangesNeedTheCsrfToken() {
        Browser b = new Browser(gw.adminUrl());
        var a = b.login(PASS);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("signedIn").asBoolean()).isTrue();
        assertThat(a.json().path("roles").toString()).isEqualTo("[\"admin\"]");
        assertThat(a.json().path("csrfToken").asText()).hasSizeGreaterThan(30);
        assertThat(a.body()).doesNotContain(PASS);
        String cookie = a.setCookies().stream().filter(c -> c.startsWith("bricks_session=")).findFirst().orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/").doesNotContain("Secure");

        // a read with the cookie alone; the session answer repeats who and the token
        assertThat(b.get("/api/provider-settings").status()).isEqualTo(200);
        var s = b.get("/ui/api/session").json();
        assertThat(s.path("signedIn").asBoolean()).isTrue();
        assertThat(s.path("csrfToken").asText()).isEqualTo(b.csrf);

        // a change: refused without the token or with a wrong one, done with it
        String csrf = b.csrf;
        b.csrf = null;
        var refused = b.send("PUT", "/api/key-management/keys", keyBody("no-csrf"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("type").asText()).isEqualTo("/errors/csrf");
        b.csrf = "x" + csrf.substring(1);
        assertThat(b.send("PUT", "/api/key-management/keys", keyBody("wrong-csrf")).status()).isEqualTo(403);
        b.csrf = csrf;
        var created = b.send("PUT", "/api/key-management/keys", keyBody("with-csrf"));
        assertThat(created.status()).isEqualTo(200);
        // the key's stored hash never reaches the browser
        String hash = gw.admin.withHeader("X-API-KEY", PASS).get("/api/key-management/keys?keyIds="
                + created.json().path("keyId").asText()).json().get(0).path("key").asText();
        assertThat(hash).hasSize(64);
        assertThat(created.body()).doesNotContain(hash);
        assertThat(b.get("/api/key-management/keys?keyIds=" + created.json().path("keyId").asText()).body()).doesNotContain(hash);
    }

    @Test
    void cookieIsSecureBehindTls() {
        var a = new Browser(gw.adminUrl()).header("X-Forwarded-Proto", "https").login(PASS);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.setCookies()).anySatisfy(c -> assertThat(c).startsWith("bricks_session=").contains("Secure"));
    }

    @Test
    void logoutNeedsTheCsrfTokenAndEndsTheSession() {
        Browser b = new Browser(gw.adminUrl());
        b.login(PASS);
        String csrf = b.csrf;
        var cookie = b.cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("bricks_session"))
                .findFirst().orElseThrow().getValue();
        b.csrf = null;
        assertThat(b.send("POST", "/ui/api/logout", null).status()).isEqualTo(403);
        assertThat(b.get("/api/provider-settings").status()).isEqualTo(200);
        b.csrf = csrf;
        var out = b.send("POST", "/ui/api/logout", null);
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.json().path("signedIn").asBoolean()).isFalse();
        assertThat(out.setCookies()).anySatisfy(c -> assertThat(c).startsWith("bricks_session=").contains("Max-Age=0"));
        // the old cookie, replayed, is dead: the session is gone from the database, not just from this browser
        var replay = new AdminClient(gw.adminUrl()).withHeader("Cookie", "bricks_session=" + cookie).withHeader("X-Bricks-Console", "1");
        assertThat(replay.get("/api/provider-settings").status()).isEqualTo(401);
    }

    @Test
    void sessionsExpire() {
        Browser b = new Browser(gw.adminUrl());
        b.login(PASS);
        assertThat(b.get("/api/provider-settings").status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(59));
        assertThat(b.get("/api/provider-settings").status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(2));
        var expired = b.get("/api/provider-settings");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().path("detail").asText()).contains("expired");
        assertThat(b.get("/ui/api/session").json().path("signedIn").asBoolean()).isFalse();
    }

    @Test
    void repeatedFailuresFromOneAddressAreThrottled() {
        // the throttle is per peer address; the tests all come from 127.0.0.1, so this one runs its own gateway
        try (TestGateway own = TestGateway.start(Map.of("ADMIN_PASS", PASS), clock)) {
            Browser b = new Browser(own.adminUrl());
            for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) assertThat(b.login("wrong-" + i).status()).isEqualTo(401);
            var throttled = b.login(PASS);
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.raw().headers().firstValue("Retry-After")).isPresent();
            clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
            assertThat(b.login(PASS).status()).isEqualTo(200);
        }
    }

    @Test
    void apiKeyClientsNeedNoCsrfToken() {
        var r = gw.admin.withHeader("X-API-KEY", PASS).put("/api/key-management/keys", keyBody("api-client"));
        assertThat(r.status()).isEqualTo(200);
    }
}
