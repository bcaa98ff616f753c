package io.bricksllm.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Neither ADMIN_PASS nor OIDC: the admin API stays open to API clients as in the original, while the console (a
 * browser request) is read-only and local only, and says how to enable sign-in (issue 21.3).
 */
class OpenConsoleTest {
    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void apiClientsKeepTheOpenAdminApi() {
        assertThat(gw.admin.post("/api/teams", "{\"name\":\"open\"}").status()).isEqualTo(200);
        assertThat(gw.admin.withHeader("X-API-KEY", "anything").get("/api/teams").status()).isEqualTo(200);
        var logged = gw.admin.get("/api/audit-log?resourceType=team").json();
        assertThat(logged.get(0).path("authMethod").asText()).isEqualTo("open");
    }

    @Test
    void theLocalConsoleReadsButCannotChange() {
        Browser b = new Browser(gw.adminUrl());
        var s = b.get("/ui/api/session").json();
        assertThat(s.path("signedIn").asBoolean()).isFalse();
        assertThat(s.path("readOnlyLocal").asBoolean()).isTrue();
        assertThat(s.path("methods")).isEmpty();
        assertThat(s.path("roles").toString()).isEqualTo("[\"viewer\"]");
        assertThat(s.path("hint").asText()).contains("ADMIN_PASS").contains("OIDC_ISSUER_URL");
        assertThat(b.get("/api/teams").status()).isEqualTo(200);
        var refused = b.send("POST", "/api/teams", "{\"name\":\"from-console\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("detail").asText()).contains("ADMIN_PASS").contains("OIDC_ISSUER_URL");
        assertThat(b.login("whatever").status()).isEqualTo(404);
    }

    @Test
    void aPageOfAnotherSiteCannotUseTheOpenApiThroughABrowser() {
        // a cross-site form post carries Origin and Sec-Fetch-Site, even without the console's header
        var post = new io.bricksllm.testing.AdminClient(gw.adminUrl()).withHeader("Origin", "https://evil.example")
                .withHeader("Sec-Fetch-Site", "cross-site").post("/api/teams", "{\"name\":\"csrf\"}");
        assertThat(post.status()).isEqualTo(403);
    }

    @Test
    void theConsoleAnswersOnLocalhostOnly() {
        Browser proxied = new Browser(gw.adminUrl()).header("X-Forwarded-For", "198.51.100.4");
        var r = proxied.get("/api/teams");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("type").asText()).isEqualTo("/errors/console-local-only");
        assertThat(proxied.get("/ui/api/session").json().path("readOnlyLocal").asBoolean()).isFalse();
    }
}
