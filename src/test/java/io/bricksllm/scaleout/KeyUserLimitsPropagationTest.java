package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.store.ApiKey;
import io.bricksllm.store.ConfigSnapshot;
import io.bricksllm.store.EndUser;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A key's and an end user's token limit and concurrency cap (issue 19.2) set or changed through one instance reach
 * the other's configuration snapshot by the change feed; the periodic reload is an hour away.
 */
class KeyUserLimitsPropagationTest {
    static final Duration BOUND = Duration.ofSeconds(5);

    @Test
    void limitsSetAndPatchedOnOneInstanceAreSeenByTheOther() {
        try (TestRedis redis = TestRedis.start();
             ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port())) {
            TestGateway a = cluster.start(Map.of("IN_MEMORY_DB_UPDATE_INTERVAL", "1h"));
            TestGateway b = cluster.start(Map.of("IN_MEMORY_DB_UPDATE_INTERVAL", "1h"));
            String s = a.admin.createSetting("openai", Map.of("apikey", "sk-upstream"));

            String key = a.admin.createKey("{\"name\":\"k\",\"key\":\"limits-key\",\"settingId\":\"" + s
                    + "\",\"tokenLimitOverTime\":1000,\"tokenLimitUnit\":\"m\",\"maxConcurrentRequests\":3}").get("keyId").asText();
            Poll.until(BOUND, "key on B", () -> onB(b).keysById().containsKey(key));
            ApiKey k = onB(b).keysById().get(key);
            assertThat(List.of(k.tokenLimitOverTime(), (long) k.maxConcurrentRequests())).containsExactly(1000L, 3L);
            assertThat(k.tokenLimitUnit()).isEqualTo("m");

            assertThat(a.admin.patch("/api/key-management/keys/" + key, "{\"maxConcurrentRequests\":8,\"tokenLimitOverTime\":50,"
                    + "\"tokenLimitUnit\":\"s\"}").status()).isEqualTo(200);
            Poll.until(BOUND, "patched key on B", () -> onB(b).keysById().get(key).maxConcurrentRequests() == 8
                    && onB(b).keysById().get(key).tokenLimitOverTime() == 50 && onB(b).keysById().get(key).tokenLimitUnit().equals("s"));

            String id = a.admin.post("/api/users", "{\"name\":\"u\",\"userId\":\"limited\",\"maxConcurrentRequests\":2,"
                    + "\"tokenLimitOverTime\":700,\"tokenLimitUnit\":\"h\"}").json().get("id").asText();
            Poll.until(BOUND, "user on B", () -> onB(b).usersByUserId().containsKey("limited"));
            EndUser u = onB(b).usersByUserId().get("limited").get(0);
            assertThat(List.of(u.tokenLimitOverTime(), (long) u.maxConcurrentRequests())).containsExactly(700L, 2L);
            assertThat(u.tokenLimitUnit()).isEqualTo("h");

            assertThat(a.admin.patch("/api/users/" + id, "{\"maxConcurrentRequests\":0}").status()).isEqualTo(200);
            Poll.until(BOUND, "patched user on B", () -> onB(b).usersByUserId().get("limited").get(0).maxConcurrentRequests() == 0);
            assertThat(onB(b).usersByUserId().get("limited").get(0).tokenLimitOverTime()).as("kept").isEqualTo(700);
        }
    }

    private static ConfigSnapshot onB(TestGateway b) {
        return b.gateway().liveConfig().current();
    }
}
