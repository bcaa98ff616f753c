package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.RedisSettings;
import io.bricksllm.store.Database;
import io.bricksllm.store.EndUser;
import io.bricksllm.store.Json;
import io.bricksllm.store.UserRepository;
import io.bricksllm.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** End-user spend rebuilt from the events: attributed like the proxy resolves users, into memory and into Redis. */
class UserSpendSeedTest {
    static final Instant NOW = Instant.parse("2026-01-15T12:30:00Z");
    private final Gateways processes = new Gateways();

    @AfterEach
    void stop() {
        processes.close();
    }

    static EndUser user(String id, String userId, List<String> tags) {
        return new EndUser(id, userId, "n", 1, 1, tags, null, false, "", 0, 0, "", 0, "", "", null, null);
    }

    static void event(Database db, String userId, List<String> keyTags, double costUsd, Instant at) {
        db.update("INSERT INTO events (event_id, created_at, tags, key_id, cost_in_usd, user_id) VALUES (?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), at.getEpochSecond(), Json.write(keyTags), "k", costUsd, userId);
    }

    @Test
    void eventsAreAttributedToTheOneUserInTheKeysTagScope() {
        try (Database db = TestDatabases.sqlite()) {
            UserRepository users = new UserRepository(db);
            users.insert(user("a", "alice", List.of("team-a", "prod")));
            users.insert(user("b", "alice", List.of("team-b")));
            users.insert(user("c", "carol", List.of()));
            event(db, "alice", List.of("team-a"), 1.0, NOW.minus(Duration.ofDays(40)));  // → a, before this month
            event(db, "alice", List.of("team-a", "prod"), 0.25, NOW.minusSeconds(60));    // → a, this hour
            event(db, "alice", List.of("team-b"), 0.5, NOW.minus(Duration.ofHours(2)));  // → b, today
            event(db, "alice", List.of(), 7.0, NOW);                                    // both cover: ambiguous, skipped
            event(db, "alice", List.of("team-c"), 9.0, NOW);                            // nobody covers: skipped
            event(db, "carol", List.of(), 0.125, NOW);                                  // → c
            event(db, "dave", List.of(), 3.0, NOW);                                     // no such user
            event(db, "", List.of(), 5.0, NOW);                                         // no user id

            MemorySpendLedger ledger = new MemorySpendLedger();
            assertThat(UserSpendSeed.seedUsers(db, ledger, NOW)).isEqualTo(3);
            assertThat(await(ledger.totalSpent("user:a"))).isEqualTo(1_250_000);
            assertThat(await(ledger.windowSpent("user:a", Window.MONTH, NOW))).isEqualTo(250_000);
            assertThat(await(ledger.windowSpent("user:a", Window.HOUR, NOW))).isEqualTo(250_000);
            assertThat(await(ledger.totalSpent("user:b"))).isEqualTo(500_000);
            assertThat(await(ledger.windowSpent("user:b", Window.DAY, NOW))).isEqualTo(500_000);
            assertThat(await(ledger.windowSpent("user:b", Window.HOUR, NOW))).isZero();
            assertThat(await(ledger.totalSpent("user:c"))).isEqualTo(125_000);
        }
    }

    @Test
    void noUsersNoWork() {
        try (Database db = TestDatabases.sqlite()) {
            event(db, "alice", List.of(), 1.0, NOW);
            assertThat(UserSpendSeed.seedUsers(db, new MemorySpendLedger(), NOW)).isZero();
        }
    }

    @Test
    void theRedisReseederRestoresUserSpendAfterAFlush() {
        RedisSettings settings = EmbeddedRedis.shared().settings(11, Gateways.RELAXED);
        processes.command(settings, Request.cmd(Command.FLUSHDB));
        String id = "u-" + UUID.randomUUID();
        try (Database db = TestDatabases.sqlite()) {
            new UserRepository(db).insert(user(id, "erin", List.of()));
            event(db, "erin", List.of(), 2.0, NOW.minusSeconds(5));
            Vertx vertx = Vertx.vertx();
            try {
                RedisSpendLedger ledger = new RedisSpendLedger(processes.connect(settings), Duration.ofMinutes(15), true);
                SpendReseeder reseeder = new SpendReseeder(vertx, db, ledger, Clock.fixed(NOW, ZoneOffset.UTC));
                assertThat(await(reseeder.seed())).isGreaterThanOrEqualTo(1);
                assertThat(await(ledger.totalSpent("user:" + id))).isEqualTo(2_000_000);
                processes.command(settings, Request.cmd(Command.FLUSHDB));
                assertThat(await(reseeder.seedIfLost())).isGreaterThanOrEqualTo(1);
                assertThat(await(ledger.totalSpent("user:" + id))).isEqualTo(2_000_000);
                assertThat(await(ledger.windowSpent("user:" + id, Window.DAY, NOW))).isEqualTo(2_000_000);
                assertThat(await(ledger.reserve("user:" + id, 1, new BudgetLimits(2_000_000, 0, null), NOW))).as("limit reached").isEmpty();
            } finally {
                await(vertx.close());
            }
        }
    }
}
