package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.PostgresSettings;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.RestartablePostgres;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops: readiness says so at once and admin calls fail fast with a 503 problem body instead of waiting on
 * the connection pool; when it is back, both answer 200 again.
 */
class DatabaseOutageAdminTest {
    static final String NEW_SETTING = "{\"provider\":\"openai\",\"setting\":{\"apikey\":\"sk-x\"},\"name\":\"during outage\"}";

    @Test
    void readinessAndAdminAnswerFastDuringAnOutageAndRecoverAfter() {
        ch.qos.logback.classic.Logger adminLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                io.bricksllm.admin.AdminServer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        adminLog.addAppender(logs);
        try (RestartablePostgres pg = RestartablePostgres.start(); TestGateway gw = TestGateway.start(env(pg.settings()))) {
            AdminClient admin = gw.admin;
            assertThat(admin.get("/api/health/ready").status()).isEqualTo(200);
            assertThat(admin.get("/api/provider-settings").status()).isEqualTo(200);

            pg.stop();
            // the first probe may still get the last finished check's "up": never a wait, and "down" from the next one on
            Poll.until(Duration.ofSeconds(3), "readiness notices the outage",
                    () -> timed(Duration.ofSeconds(1), "readiness", () -> admin.get("/api/health/ready")).status() == 503);
            for (int probe = 0; probe < 4; probe++) {
                AdminClient.Reply ready = timed(Duration.ofSeconds(1), "readiness", () -> admin.get("/api/health/ready"));
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.json().get("database").asText()).isEqualTo("down");

                AdminClient.Reply read = timed(Duration.ofSeconds(2), "admin read", () -> admin.get("/api/provider-settings"));
                assertProblem503(read);
                AdminClient.Reply write = timed(Duration.ofSeconds(2), "admin write", () -> admin.put("/api/provider-settings", NEW_SETTING));
                assertProblem503(write);
            }

            // eight failed admin calls: one warning with the cause, no stack trace, not one error per call
            assertThat(logs.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)).hasSize(1)
                    .allSatisfy(e -> {
                        assertThat(e.getFormattedMessage()).contains("storage unavailable");
                        assertThat(e.getThrowableProxy()).isNull();
                    });

            pg.restart();
            Poll.until(Duration.ofSeconds(20), "ready again", () -> admin.get("/api/health/ready").status() == 200);
            assertThat(admin.get("/api/provider-settings").status()).isEqualTo(200);
            assertThat(admin.put("/api/provider-settings", NEW_SETTING).status()).isEqualTo(200);
        } finally {
            adminLog.detachAppender(logs);
        }
    }

    private static void assertProblem503(AdminClient.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.json().get("status").asInt()).isEqualTo(503);
        assertThat(reply.json().get("type").asText()).isEqualTo("/errors/storage-unavailable");
    }

    private static AdminClient.Reply timed(Duration limit, String what, Supplier<AdminClient.Reply> call) {
        long t0 = System.nanoTime();
        AdminClient.Reply reply = call.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("PostgreSQL down: %s answered %d in %d ms%n", what, reply.status(), ms);
        assertThat(ms).as(what + " answered within " + limit.toMillis() + " ms").isLessThanOrEqualTo(limit.toMillis());
        return reply;
    }

    private static Map<String, String> env(PostgresSettings pg) {
        return Map.of("POSTGRESQL_HOSTS", pg.host(), "POSTGRESQL_PORT", String.valueOf(pg.port()),
                "POSTGRESQL_DB_NAME", pg.database(), "POSTGRESQL_USERNAME", pg.username());
    }
}
