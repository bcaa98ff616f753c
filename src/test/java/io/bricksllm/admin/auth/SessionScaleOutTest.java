package io.bricksllm.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.PostgresSettings;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scale-out: a session made on one instance works on another sharing the database, and a logout ends it on both. */
class SessionScaleOutTest {
    static final String PASS = "scale-pass-0123456789";

    @Test
    void aSessionIsSharedAndEndedAcrossInstances() {
        PostgresSettings pg = TestDatabases.freshPostgres();
        Map<String, String> env = Map.of("ADMIN_PASS", PASS, "POSTGRESQL_HOSTS", pg.host(), "POSTGRESQL_PORT",
                String.valueOf(pg.port()), "POSTGRESQL_DB_NAME", pg.database(), "POSTGRESQL_USERNAME", pg.username());
        try (TestGateway a = TestGateway.start(env); TestGateway b = TestGateway.start(env)) {
            Browser onA = new Browser(a.adminUrl());
            onA.login(PASS);
            String token = onA.cookies.getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals("bricks_session")).findFirst().orElseThrow().getValue();
            AdminClient onB = new AdminClient(b.adminUrl()).withHeader("Cookie", "bricks_session=" + token)
                    .withHeader("X-Bricks-Console", "1");
            assertThat(onB.get("/api/teams").status()).isEqualTo(200);
            assertThat(onB.withHeader("X-CSRF-Token", onA.csrf).post("/api/teams", "{\"name\":\"from-b\"}").status()).isEqualTo(200);
            assertThat(onA.send("POST", "/ui/api/logout", null).status()).isEqualTo(200);
            assertThat(onB.get("/api/teams").status()).isEqualTo(401);
        }
    }
}
