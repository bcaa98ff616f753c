package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static io.bricksllm.limits.Gateways.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.RedisSettings;
import io.bricksllm.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract against a real Redis, plus what only the shared store has: scale-out, leases, layout, seeding. */
class RedisLimitLedgerTest extends LimitLedgerContract {
    private final RedisSettings settings = EmbeddedRedis.shared().settings(4, Gateways.RELAXED);
    private final Gateways processes = new Gateways();
    private final Vertx vertx = Vertx.vertx();
    private final List<RedisLimitLedger> ledgers = new ArrayList<>();

    @AfterEach
    void stopGateways() {
        ledgers.forEach(RedisLimitLedger::close);
        processes.close();
        await(vertx.close());
    }

    @Override
    protected List<LimitLedger> gateways(int n) {
        List<LimitLedger> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(ledger(RedisLimitLedger.DEFAULT_CONCURRENCY_LEASE));
        return out;
    }

    @Override
    protected SpendLedger spendLedger() {
        return new RedisSpendLedger(processes.connect(settings));
    }

    private RedisLimitLedger ledger(Duration lease) {
        return ledger(settings, lease, false);
    }

    private RedisLimitLedger ledger(RedisSettings s, Duration lease, boolean requireSeeded) {
        RedisLimitLedger l = new RedisLimitLedger(vertx, processes.connect(s), lease, Duration.ofMinutes(10), requireSeeded, Clock.systemUTC());
        ledgers.add(l);
        return l;
    }

    @Test
    void aSecondInstanceSeesAndSharesTheSameCounters() {
        RedisLimitLedger a = ledger(Duration.ofMinutes(1));
        RedisLimitLedger b = ledger(Duration.ofMinutes(1));
        LevelLimits team = limits(Level.TEAM, Scopes.team(id()), 3, 1_000, total(1_000), 2);
        LevelLimits key = limits(Level.KEY, Scopes.key(id()), 10, 1_000, perDay(1_000), 5);
        Ticket first = admitted(a, request(T0, 10, 100, team, key)).ticket();
        assertThat(snap(b, team, T0)).isEqualTo(snap(a, team, T0)).isEqualTo(new LevelSnapshot(1, 100, 0, -1, 1));
        Admission.Admitted second = admitted(b, request(T0, 10, 100, team, key));
        assertThat(second.usage()).extracting(LevelUsage::requestsUsed).containsExactly(2L, 2L);
        assertThat(refused(a, request(T0, 10, 100, team, key)).kind()).as("two in flight at the team").isEqualTo(LimitKind.CONCURRENCY);
        await(b.settle(first, settlement(7, 50))); // settled by another instance than admitted it
        admitted(a, request(T0, 10, 100, team, key));
        assertThat(refused(b, request(T0, 10, 100, team, key)).kind()).as("3 requests").isEqualTo(LimitKind.REQUESTS);
        assertThat(snap(a, key, T0)).isEqualTo(new LevelSnapshot(3, 250, 7, 7, 2));
    }

    @Test
    void countersLiveWhereTheSingleKindClassesReadThem() {
        RedisConnector connector = processes.connect(settings);
        RedisLimitLedger l = ledger(Duration.ofMinutes(1));
        RedisRateLimiter rates = new RedisRateLimiter(connector);
        RedisSpendLedger spend = new RedisSpendLedger(connector);
        String s = Scopes.key(id());
        LevelLimits key = limits(Level.KEY, s, 10, 1_000, total(1_000), 3);
        Ticket t = admitted(l, request(T0, 40, 300, key)).ticket();
        assertThat(await(rates.count(s, Window.MINUTE, T0))).isEqualTo(1);
        assertThat(await(spend.reserved(s))).isEqualTo(40);
        String tokens = "bricks:tokens:" + s + ":m:" + Window.MINUTE.start(T0);
        assertThat(processes.command(settings, Request.cmd(Command.HGET).arg(tokens).arg("held")).toLong()).isEqualTo(300);
        assertThat(processes.command(settings, Request.cmd(Command.PTTL).arg(tokens)).toLong()).isPositive();
        assertThat(processes.command(settings, Request.cmd(Command.ZCARD).arg("bricks:conc:" + s)).toLong()).isEqualTo(1);

        await(l.settle(t, settlement(25, 120)));
        assertThat(await(spend.reserved(s))).isZero();
        assertThat(await(spend.totalSpent(s))).isEqualTo(25);
        assertThat(processes.command(settings, Request.cmd(Command.HGET).arg(tokens).arg("held")).toLong()).isZero();
        assertThat(processes.command(settings, Request.cmd(Command.HGET).arg(tokens).arg("used")).toLong()).isEqualTo(120);
        assertThat(processes.command(settings, Request.cmd(Command.ZCARD).arg("bricks:conc:" + s)).toLong()).isZero();
        assertThat(processes.command(settings, Request.cmd(Command.EXISTS).arg("bricks:spend:" + s + ":holds")).toLong()).isZero();
        assertThat(await(rates.tryAcquire(s, 2, Window.MINUTE, T0))).as("the rate limiter counts on").isTrue();
        assertThat(snap(l, key, T0).requestsUsed()).isEqualTo(2);
    }

    @Test
    void aHoldLeakedThroughTheLedgerIsPurgedByTheSpendLedgerAfterTheHoldTime() {
        RedisLimitLedger l = ledger(Duration.ofMinutes(1));
        RedisSpendLedger spend = new RedisSpendLedger(processes.connect(settings), Duration.ofMinutes(10), false);
        String s = Scopes.key(id());
        admitted(l, request(T0, 80, 0, budget(Level.KEY, s, total(100)))); // never settled
        assertThat(await(spend.reserve(s, 30, total(100), T0.plus(Duration.ofMinutes(9))))).as("80 still held").isEmpty();
        assertThat(await(spend.reserve(s, 30, total(100), T0.plus(Duration.ofMinutes(11))))).isPresent();
        assertThat(await(spend.reserved(s))).as("the leak was purged, by its amount").isEqualTo(30);
    }

    @Test
    void theSlotOfAnInstanceClosedWithoutSettlingComesBackAfterTheLease() {
        Duration lease = Duration.ofMillis(800);
        RedisLimitLedger dying = ledger(lease);
        RedisLimitLedger alive = ledger(lease);
        LevelLimits key = concurrency(Level.KEY, Scopes.key(id()), 1);
        admitted(dying, request(Instant.now(), 0, 0, key));
        dying.close(); // stops renewing, as a killed instance would
        assertThat(refused(alive, request(Instant.now(), 0, 0, key)).kind()).isEqualTo(LimitKind.CONCURRENCY);
        Duration took = Poll.until(Duration.ofSeconds(15), "slot back after the lease",
                () -> await(alive.admit(request(Instant.now(), 0, 0, key))) instanceof Admission.Admitted);
        System.out.printf("[RedisLimitLedgerTest] slot of a closed instance back after %d ms (lease %d ms)%n",
                took.toMillis(), lease.toMillis());
    }

    @Test
    void renewalKeepsASlotBeyondTheLeaseUntilSettled() {
        Duration lease = Duration.ofMillis(600);
        RedisLimitLedger holder = ledger(lease);
        RedisLimitLedger other = ledger(lease);
        LevelLimits key = concurrency(Level.KEY, Scopes.key(id()), 1);
        long t0 = System.currentTimeMillis();
        Ticket t = admitted(holder, request(Instant.now(), 0, 0, key)).ticket();
        int refusals = 0;
        while (System.currentTimeMillis() - t0 < 5 * lease.toMillis()) {
            assertThat(await(other.admit(request(Instant.now(), 0, 0, key))))
                    .as("still held after %d ms", System.currentTimeMillis() - t0).isInstanceOf(Admission.Refused.class);
            refusals++;
            Poll.pause(50);
        }
        assertThat(refusals).isPositive();
        assertThat(holder.liveLeases()).isEqualTo(1);
        await(holder.settle(t, settlement(0, 0)));
        assertThat(holder.liveLeases()).isZero();
        admitted(other, request(Instant.now(), 0, 0, key));
    }

    @Test
    void aLeaseSettledByAnotherInstanceIsNoLongerRenewedByTheOneThatAdmittedIt() {
        Duration lease = Duration.ofMillis(600);
        RedisLimitLedger admitting = ledger(lease);
        RedisLimitLedger settling = ledger(lease);
        LevelLimits team = concurrency(Level.TEAM, Scopes.team(id()), 1);
        LevelLimits key = concurrency(Level.KEY, Scopes.key(id()), 1);
        Ticket t = admitted(admitting, request(Instant.now(), 0, 0, team, key)).ticket();
        assertThat(admitting.liveLeases()).isEqualTo(1);
        await(settling.settle(t, settlement(0, 0)));
        admitted(settling, request(Instant.now(), 0, 0, key)); // the key's slot is taken again, the team's is not
        Poll.until(Duration.ofSeconds(10), "the admitting instance forgets the settled lease", () -> admitting.liveLeases() == 0);
        admitted(settling, request(Instant.now(), 0, 0, team));
    }

    @Test
    void untilSeededABudgetedLevelFailsAsUnavailableWhenTheMarkerIsRequired() {
        RedisSettings own = EmbeddedRedis.shared().settings(12, Gateways.RELAXED);
        processes.command(own, Request.cmd(Command.FLUSHDB));
        RedisLimitLedger l = ledger(own, Duration.ofMinutes(1), true);
        LevelLimits team = budget(Level.TEAM, Scopes.team(id()), total(100));
        LevelLimits key = requests(Level.KEY, Scopes.key(id()), 10);
        assertThat(failure(l.admit(request(T0, 1, 0, team, key)))).isInstanceOf(LimitStoreUnavailable.class);
        assertThat(snap(l, key, T0).requestsUsed()).as("nothing taken").isZero();
        admitted(l, request(T0, 1, 0, key)); // no budget: no marker needed
        await(new RedisSpendLedger(processes.connect(own)).markSeeded(T0));
        admitted(l, request(T0, 1, 0, team, key));
    }
}
