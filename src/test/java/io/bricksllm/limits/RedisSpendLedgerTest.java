package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static io.bricksllm.limits.Gateways.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.RedisSettings;
import io.bricksllm.store.Database;
import io.bricksllm.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The budget contract against a real Redis, plus what only the shared store has: leaks, seeding, layout. */
class RedisSpendLedgerTest extends SpendLedgerContract {
    private final RedisSettings settings = EmbeddedRedis.shared().settings(3, Gateways.RELAXED);
    private final Gateways processes = new Gateways();

    @AfterEach
    void stopGateways() {
        processes.close();
    }

    @Override
    protected List<SpendLedger> gateways(int n) {
        List<SpendLedger> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(ledger());
        return out;
    }

    private RedisSpendLedger ledger() {
        return new RedisSpendLedger(processes.connect(settings));
    }

    @Test
    void theLuaScriptAdmitsExactlyWhenMemorySpendLedgerFitsSays() {
        RedisSpendLedger l = ledger();
        BudgetLimits none = new BudgetLimits(0, 0, null);
        int checked = 0;
        for (long spent : new long[] {0, 50, 99, 100, 150}) {
            for (long reserved : new long[] {0, 30}) {
                for (long estimate : new long[] {0, 1, 20, 70}) {
                    for (long limit : new long[] {0, 100}) {
                        for (boolean windowed : new boolean[] {false, true}) {
                            String s = scope();
                            if (spent > 0) await(l.record(s, spent, T0));
                            if (reserved > 0) await(l.reserve(s, reserved, none, T0)).orElseThrow();
                            BudgetLimits limits = windowed ? perWindow(limit, Window.DAY) : total(limit);
                            boolean expected = MemorySpendLedger.fits(spent, reserved, estimate, limit);
                            assertThat(await(l.reserve(s, estimate, limits, T0)).isPresent())
                                    .as("spent %d, reserved %d, estimate %d, limit %d, windowed %s", spent, reserved, estimate, limit, windowed)
                                    .isEqualTo(expected);
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(160);
    }

    @Test
    void nothingStaysReservedOnceEveryRequestSettled() {
        RedisSpendLedger l = ledger();
        String s = scope();
        List<Reservation> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) held.add(await(l.reserve(s, 10, total(1_000), T0.plusMillis(i))).orElseThrow());
        assertThat(await(l.reserved(s))).isEqualTo(30);
        held.forEach(r -> await(l.settle(r, 4)));
        assertThat(await(l.reserved(s))).isZero();
        assertThat(await(l.totalSpent(s))).isEqualTo(12);
    }

    @Test
    void identicalReservationsAreHeldAndSettledOneByOne() {
        RedisSpendLedger l = ledger();
        String s = scope();
        Reservation a = await(l.reserve(s, 10, total(1_000), T0)).orElseThrow();
        Reservation b = await(l.reserve(s, 10, total(1_000), T0)).orElseThrow();
        assertThat(a).isEqualTo(b);
        await(l.settle(a, 1));
        assertThat(await(l.reserved(s))).isEqualTo(10);
        await(l.settle(b, 1));
        assertThat(await(l.reserved(s))).isZero();
    }

    @Test
    void aReservationLeakedByADeadProcessIsReleasedAfterTheHoldTime() {
        RedisSpendLedger dead = new RedisSpendLedger(processes.connect(settings), Duration.ofMinutes(10), false);
        RedisSpendLedger alive = new RedisSpendLedger(processes.connect(settings), Duration.ofMinutes(10), false);
        String s = scope();
        Reservation leaked = await(dead.reserve(s, 80, total(100), T0)).orElseThrow();
        assertThat(await(alive.reserve(s, 30, total(100), T0.plus(Duration.ofMinutes(9))))).as("80 still held").isEmpty();
        Reservation later = await(alive.reserve(s, 30, total(100), T0.plus(Duration.ofMinutes(11)))).orElseThrow();
        assertThat(await(alive.reserved(s))).as("the leak was purged").isEqualTo(30);
        await(dead.settle(leaked, 5));
        assertThat(await(alive.reserved(s))).as("a late settle releases nothing twice").isEqualTo(30);
        await(alive.settle(later, 30));
        assertThat(await(alive.reserved(s))).isZero();
        assertThat(await(alive.totalSpent(s))).isEqualTo(35);
    }

    @Test
    void countersLiveAtTheirDocumentedKeysAndWindowsExpire() {
        RedisSpendLedger l = ledger();
        String s = scope();
        Instant now = Instant.now();
        await(l.settle(await(l.reserve(s, 10, total(100), now)).orElseThrow(), 7));
        String account = "bricks:spend:" + s;
        assertThat(processes.command(settings, Request.cmd(Command.HGET).arg(account).arg("total")).toLong()).isEqualTo(7);
        assertThat(processes.command(settings, Request.cmd(Command.PTTL).arg(account)).toLong()).as("no expiry").isEqualTo(-1);
        String minute = account + ":w:m:" + Window.MINUTE.start(now);
        assertThat(processes.command(settings, Request.cmd(Command.GET).arg(minute)).toLong()).isEqualTo(7);
        assertThat(processes.command(settings, Request.cmd(Command.PTTL).arg(minute)).toLong())
                .isPositive().isLessThanOrEqualTo(Window.MINUTE.end(now) - now.toEpochMilli() + 5_000);
        assertThat(processes.command(settings, Request.cmd(Command.EXISTS).arg(account + ":holds")).toLong()).as("no hold left").isZero();
    }

    @Test
    void seedingNeverLowersNorDoublesLiveCounters() {
        List<SpendLedger> instances = gateways(2);
        String s = scope();
        await(instances.get(0).seed(s, 500, Map.of(Window.DAY, 100L), T0));
        await(instances.get(1).seed(s, 500, Map.of(Window.DAY, 100L), T0));
        assertThat(await(instances.get(0).totalSpent(s))).as("two instances starting").isEqualTo(500);
        await(instances.get(0).record(s, 20, T0));
        await(instances.get(1).seed(s, 500, Map.of(Window.DAY, 100L), T0));
        assertThat(await(instances.get(1).totalSpent(s))).as("live spend kept").isEqualTo(520);
        assertThat(await(instances.get(1).windowSpent(s, Window.DAY, T0))).isEqualTo(120);
    }

    @Test
    void untilSeededAReservationFailsAsUnavailableWhenTheMarkerIsRequired() {
        RedisSettings own = EmbeddedRedis.shared().settings(9, Gateways.RELAXED);
        processes.command(own, Request.cmd(Command.FLUSHDB));
        RedisSpendLedger l = new RedisSpendLedger(processes.connect(own), Duration.ofMinutes(15), true);
        assertThat(failure(l.reserve(scope(), 1, total(100), T0))).isInstanceOf(LimitStoreUnavailable.class);
        await(l.markSeeded(T0));
        assertThat(await(l.reserve(scope(), 1, total(100), T0))).isPresent();
    }

    @Test
    void afterAFlushallSeedingFromTheEventsRestoresTotals() throws Exception {
        Instant now = Instant.now();
        String keyId = "k-" + UUID.randomUUID();
        String scope = "key:" + keyId;
        try (Database db = TestDatabases.sqlite()) {
            insertEvent(db, keyId, 1.25, now.minus(Duration.ofDays(400)));
            insertEvent(db, keyId, 0.5, now.minusSeconds(1));
            Vertx vertx = Vertx.vertx();
            try {
                RedisSpendLedger ledger = new RedisSpendLedger(processes.connect(settings), Duration.ofMinutes(15), true);
                SpendReseeder reseeder = new SpendReseeder(vertx, db, ledger, Clock.fixed(now, ZoneOffset.UTC));
                assertThat(await(reseeder.seed())).isGreaterThanOrEqualTo(1);
                assertThat(await(ledger.totalSpent(scope))).isEqualTo(1_750_000);
                assertThat(await(reseeder.seedIfLost())).as("nothing lost").isZero();

                processes.command(settings, Request.cmd(Command.FLUSHALL));
                assertThat(await(ledger.totalSpent(scope))).isZero();
                assertThat(failure(ledger.reserve(scope, 1, total(2_000_000), now))).isInstanceOf(LimitStoreUnavailable.class);
                await(ledger.record(scope, 100_000, now)); // settled after the flush, before the re-seed

                assertThat(await(reseeder.seedIfLost())).isGreaterThanOrEqualTo(1);
                assertThat(await(ledger.totalSpent(scope))).isEqualTo(1_750_000);
                assertThat(await(ledger.windowSpent(scope, Window.DAY, now))).isEqualTo(500_000);
                assertThat(await(ledger.reserve(scope, 1, total(1_750_000), now))).as("limit reached again").isEmpty();
                Optional<Reservation> r = await(ledger.reserve(scope, 1, total(2_000_000), now));
                assertThat(r).isPresent();
            } finally {
                await(vertx.close());
            }
        }
    }

    private static void insertEvent(Database db, String keyId, double costUsd, Instant at) {
        db.update("INSERT INTO events (event_id, created_at, key_id, cost_in_usd) VALUES (?, ?, ?, ?)",
                UUID.randomUUID().toString(), at.getEpochSecond(), keyId, costUsd);
    }
}
