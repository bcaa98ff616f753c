package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.store.ConfigSnapshot;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Team changes through one instance reach the other's configuration snapshot by the change feed, as key changes do
 * (issue 19.9): the periodic reload is an hour away, so only the feed can carry them within the bound.
 */
class TeamChangePropagationTest {
    static final Duration BOUND = Duration.ofSeconds(5);

    @Test
    void teamCreatedPatchedJoinedAndDeletedOnOneInstanceIsSeenByTheOther() {
        try (TestRedis redis = TestRedis.start();
             ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port())) {
            TestGateway a = cluster.start(Map.of("IN_MEMORY_DB_UPDATE_INTERVAL", "1h"));
            TestGateway b = cluster.start(Map.of("IN_MEMORY_DB_UPDATE_INTERVAL", "1h"));
            String s = a.admin.createSetting("openai", Map.of("apikey", "sk-upstream"));

            String team = a.admin.post("/api/teams", "{\"name\":\"t\",\"maxConcurrentRequests\":3}").json().get("id").asText();
            Poll.until(BOUND, "team on B", () -> onB(b).teamsById().containsKey(team));
            assertThat(onB(b).teamsById().get(team).maxConcurrentRequests()).isEqualTo(3);

            assertThat(a.admin.patch("/api/teams/" + team, "{\"maxConcurrentRequests\":9}").status()).isEqualTo(200);
            Poll.until(BOUND, "patched team on B", () -> onB(b).teamsById().get(team).maxConcurrentRequests() == 9);

            String key = a.admin.createKey("{\"name\":\"k\",\"key\":\"team-key\",\"settingId\":\"" + s + "\",\"teamId\":\"" + team + "\"}")
                    .get("keyId").asText();
            Poll.until(BOUND, "key's team on B", () -> onB(b).keysById().containsKey(key)
                    && onB(b).keysById().get(key).teamId().equals(team));
            assertThat(b.admin.delete("/api/teams/" + team).status()).as("B refuses too: the key names it").isEqualTo(409);

            a.admin.patch("/api/key-management/keys/" + key, "{\"teamId\":\"\"}");
            assertThat(b.admin.delete("/api/teams/" + team).status()).as("the rule reads the database, not B's snapshot").isEqualTo(200);
            Poll.until(BOUND, "team gone on A", () -> !a.gateway().liveConfig().current().teamsById().containsKey(team));
        }
    }

    private static ConfigSnapshot onB(TestGateway b) {
        return b.gateway().liveConfig().current();
    }
}
