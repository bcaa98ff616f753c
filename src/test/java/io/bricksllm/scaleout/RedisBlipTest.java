package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.PostgresSettings;
import io.bricksllm.store.Database;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Redis is unreachable for a while and comes back with its data (persistence, or a network cut rather than a
 * restart): the seeded marker survives, yet the costs settled during the outage never reached Redis. They are
 * in PostgreSQL's events, and the ledger is raised to them, so the budget is not overspent by the outage.
 */
class RedisBlipTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void spendSettledWhileRedisWasUnreachableIsAddedBackWhenRedisReturnsWithItsData() {
        PostgresSettings pg = TestDatabases.freshPostgres();
        try (TestRedis redis = TestRedis.start(); MockUpstream upstream = new MockUpstream();
             ScaleOut cluster = new ScaleOut(pg, redis.port()); Database direct = Database.postgres(pg)) {
            // $0.0006015 per request; 5 requests pass the $0.003 limit
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 10, 1000)));
            TestGateway gw = cluster.start(Map.of("BUDGET_FAILURE_POLICY", "fail_open", "REDIS_READ_TIME_OUT", "1s"));
            String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String keyId = gw.admin.createKey("{\"name\":\"k\",\"key\":\"blip\",\"settingIds\":[\"" + s
                    + "\"],\"costLimitInUsd\":0.003}").get("keyId").asText();
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            Poll.until(Duration.ofSeconds(15), "spend counters seeded at start-up", () -> proxy.postJson(CHAT, "blip", BODY).status() == 200);
            Poll.until(Duration.ofSeconds(5), "the first request's cost settled in Redis", () -> total(redis, keyId) > 0);
            long afterFirst = total(redis, keyId);
            assertThat(proxy.postJson(CHAT, "blip", BODY).status()).isEqualTo(200);
            // the cost settles after the answer has gone out: wait for it, or the snapshot below can miss it
            Poll.until(Duration.ofSeconds(5), "the second request's cost settled in Redis", () -> total(redis, keyId) > afterFirst);
            long beforeOutage = total(redis, keyId);

            assertThat(redis.command("SAVE")).isEqualTo("+OK"); // comes back with its data, seeded marker included
            redis.stop();
            for (int i = 0; i < 3; i++) {
                assertThat(proxy.postJson(CHAT, "blip", BODY).status()).as("BUDGET_FAILURE_POLICY=fail_open").isEqualTo(200);
            }
            redis.restart();
            assertThat(total(redis, keyId)).isEqualTo(beforeOutage);
            Poll.until(Duration.ofSeconds(10), "the five requests' events in PostgreSQL", () -> events(direct, keyId) == 5);

            Duration restored = Poll.until(Duration.ofSeconds(20), "spend of the outage added back into Redis",
                    () -> total(redis, keyId) >= 3_000);
            System.out.printf("Redis back with its data: spend %d µ$ before the outage, %d µ$ after rebuilding from the events (%d ms after restart)%n",
                    beforeOutage, total(redis, keyId), restored.toMillis());
            assertThat(proxy.postJson(CHAT, "blip", BODY).status()).as("at its limit").isEqualTo(429);
        }
    }

    private static long events(Database db, String keyId) {
        return db.query("SELECT COUNT(*) FROM events WHERE key_id = ?", rs -> rs.getLong(1), keyId).get(0);
    }

    private static long total(TestRedis redis, String keyId) {
        String v = redis.command("HGET", "bricks:spend:key:" + keyId, "total");
        return v == null ? 0 : Long.parseLong(v);
    }
}
