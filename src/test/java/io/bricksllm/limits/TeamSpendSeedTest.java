package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.RedisSettings;
import io.bricksllm.store.Database;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Team spend rebuilt from the events (their team_id, the key's team when made): into memory and into Redis. */
class TeamSpendSeedTest {
    static final Instant NOW = Instant.parse("2026-01-15T12:30:00Z");
    private final Gateways processes = new Gateways();

    @AfterEach
    void stop() {
        processes.close();
    }

    static void event(Database db, String keyId, String teamId, double costUsd, Instant at) {
        db.update("INSERT INTO events (event_id, created_at, key_id, cost_in_usd, team_id) VALUES (?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), at.getEpochSecond(), keyId, costUsd, teamId);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theSpendOfEveryKeyOfATeamIsSeededIntoTheTeamScope(Kind kind) {
        try (Database db = TestDatabases.open(kind)) {
            event(db, "k1", "t1", 1.0, NOW.minus(Duration.ofDays(40)));   // t1, before this month
            event(db, "k1", "t1", 0.25, NOW.minusSeconds(60));            // t1, this hour
            event(db, "k2", "t1", 0.5, NOW.minus(Duration.ofHours(2)));   // t1 by another key, today
            event(db, "k2", "t2", 0.125, NOW);                             // k2's earlier team: stays with t2
            event(db, "k3", "", 9.0, NOW);                                // a key in no team: no team scope

            MemorySpendLedger ledger = new MemorySpendLedger();
            assertThat(SpendSeed.seedTeams(db, ledger, NOW)).isEqualTo(2);
            String t1 = Scopes.team("t1");
            assertThat(await(ledger.totalSpent(t1))).isEqualTo(1_750_000);
            assertThat(await(ledger.windowSpent(t1, Window.MONTH, NOW))).isEqualTo(750_000);
            assertThat(await(ledger.windowSpent(t1, Window.DAY, NOW))).isEqualTo(750_000);
            assertThat(await(ledger.windowSpent(t1, Window.HOUR, NOW))).isEqualTo(250_000);
            assertThat(await(ledger.windowSpent(t1, Window.MINUTE, NOW))).isZero();
            assertThat(await(ledger.totalSpent(Scopes.team("t2")))).isEqualTo(125_000);
            assertThat(await(ledger.windowSpent(Scopes.team("t2"), Window.MINUTE, NOW))).isEqualTo(125_000);
            assertThat(await(ledger.totalSpent(Scopes.team("")))).isZero();
            // the keys' own scopes are SpendSeed's, untouched here
            assertThat(await(ledger.totalSpent(Scopes.key("k1")))).isZero();
        }
    }

    @Test
    void noTeamEventsNoWork() {
        try (Database db = TestDatabases.sqlite()) {
            event(db, "k", "", 1.0, NOW);
            assertThat(SpendSeed.seedTeams(db, new MemorySpendLedger(), NOW)).isZero();
        }
    }

    @Test
    void theRedisReseederSeedsTeamsNeverLowersAndRestoresAfterAFlush() {
        RedisSettings settings = EmbeddedRedis.shared().settings(13, Gateways.RELAXED);
        processes.command(settings, Request.cmd(Command.FLUSHDB));
        String team = "t-" + UUID.randomUUID();
        String scope = Scopes.team(team);
        try (Database db = TestDatabases.sqlite()) {
            event(db, "ka", team, 2.0, NOW.minus(Duration.ofDays(3)));
            event(db, "kb", team, 0.5, NOW.minusSeconds(5));
            Vertx vertx = Vertx.vertx();
            try {
                RedisSpendLedger ledger = new RedisSpendLedger(processes.connect(settings), Duration.ofMinutes(15), true);
                SpendReseeder reseeder = new SpendReseeder(vertx, db, ledger, Clock.fixed(NOW, ZoneOffset.UTC));
                // two keys' scopes and one team's
                assertThat(await(reseeder.seed())).isEqualTo(3);
                assertThat(await(ledger.totalSpent(scope))).isEqualTo(2_500_000);
                assertThat(await(ledger.windowSpent(scope, Window.DAY, NOW))).isEqualTo(500_000);

                // spend settled in Redis whose event is not stored yet: a new seed must not take it back
                await(ledger.record(scope, 300_000, NOW));
                await(reseeder.seed());
                assertThat(await(ledger.totalSpent(scope))).as("never lowered").isEqualTo(2_800_000);
                assertThat(await(ledger.windowSpent(scope, Window.DAY, NOW))).isEqualTo(800_000);

                processes.command(settings, Request.cmd(Command.FLUSHDB));
                assertThat(await(ledger.totalSpent(scope))).isZero();
                assertThat(await(reseeder.seedIfLost())).isEqualTo(3);
                assertThat(await(ledger.totalSpent(scope))).isEqualTo(2_500_000);
                assertThat(await(ledger.windowSpent(scope, Window.DAY, NOW))).isEqualTo(500_000);
                assertThat(await(ledger.reserve(scope, 1, new BudgetLimits(2_500_000, 0, null), NOW))).as("team budget reached").isEmpty();
                assertThat(await(ledger.reserve(scope, 1, new BudgetLimits(2_600_000, 0, null), NOW))).isPresent();
            } finally {
                await(vertx.close());
            }
        }
    }
}
