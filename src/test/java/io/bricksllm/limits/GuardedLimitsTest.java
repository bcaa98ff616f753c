package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static io.bricksllm.limits.Gateways.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The spend ledger's failure policies, against a store that fails on demand (no Redis needed), and how policies are
 * read. The multi-level ledger's are {@link GuardedLimitLedgerTest}'s.
 */
class GuardedLimitsTest {
    private static final Instant NOW = Instant.parse("2031-05-17T10:15:30Z");
    private static final BudgetLimits BUDGET = new BudgetLimits(100, 0, null);

    /** A store that is down while {@code down} is set, and counts the calls that reached it. */
    private static final class FlakyStore implements SpendLedger {
        volatile boolean down;
        final AtomicInteger calls = new AtomicInteger();
        final MemorySpendLedger spend = new MemorySpendLedger();

        private <T> Future<T> call(Future<T> healthy) {
            calls.incrementAndGet();
            return down ? Future.failedFuture(new LimitStoreUnavailable("down")) : healthy;
        }

        public Future<Optional<Reservation>> reserve(String scope, long estimate, BudgetLimits limits, Instant now) {
            return down ? call(null) : call(spend.reserve(scope, estimate, limits, now));
        }

        public Future<Void> settle(Reservation r, long actual) {
            return down ? call(null) : call(spend.settle(r, actual));
        }

        public Future<Void> record(String scope, long micros, Instant at) {
            return down ? call(null) : call(spend.record(scope, micros, at));
        }

        public Future<Void> seed(String scope, long total, Map<Window, Long> windows, Instant now) {
            return down ? call(null) : call(spend.seed(scope, total, windows, now));
        }

        public Future<Long> totalSpent(String scope) {
            return down ? call(null) : call(spend.totalSpent(scope));
        }

        public Future<Long> windowSpent(String scope, Window window, Instant now) {
            return down ? call(null) : call(spend.windowSpent(scope, window, now));
        }
    }

    @Test
    void failingClosedRefusesWithATypedFailure() {
        FlakyStore store = new FlakyStore();
        store.down = true;
        GuardedSpendLedger ledger = new GuardedSpendLedger(store, FailurePolicy.FAIL_CLOSED, Duration.ZERO);
        assertThat(failure(ledger.reserve("k", 10, BUDGET, NOW))).isInstanceOf(LimitStoreUnavailable.class);
        assertThat(failure(ledger.totalSpent("k"))).isInstanceOf(LimitStoreUnavailable.class);
        await(ledger.settle(new Reservation("k", 10, NOW), 5)); // never fails the request
        assertThat(ledger.outage().failures()).isEqualTo(3);
        assertThat(ledger.outage().admittedWhileDown()).isZero();
        store.down = false;
        assertThat(await(ledger.reserve("k", 10, BUDGET, NOW))).isPresent();
    }

    @Test
    void failingOpenHandsOutAReservationTheStoreNeverSaw() {
        FlakyStore store = new FlakyStore();
        store.down = true;
        GuardedSpendLedger ledger = new GuardedSpendLedger(store, FailurePolicy.FAIL_OPEN, Duration.ZERO);
        Reservation r = await(ledger.reserve("k", 10, BUDGET, NOW)).orElseThrow();
        store.down = false;
        await(ledger.settle(r, 7));
        assertThat(await(ledger.totalSpent("k"))).isEqualTo(7);
    }

    @Test
    void whileDownReservingSkipsTheStoreUntilTheProbeIntervalPassed() {
        FlakyStore store = new FlakyStore();
        GuardedSpendLedger ledger = new GuardedSpendLedger(store, FailurePolicy.FAIL_CLOSED, Duration.ofHours(1));
        store.down = true;
        failure(ledger.reserve("k", 10, BUDGET, NOW));
        store.down = false;
        for (int i = 0; i < 5; i++) assertThat(failure(ledger.reserve("k", 10, BUDGET, NOW))).isInstanceOf(LimitStoreUnavailable.class);
        assertThat(store.calls.get()).as("one call reached the store").isEqualTo(1);
        assertThat(ledger.outage().failures()).isEqualTo(6);
    }

    @Test
    void policiesAreReadFromConfigurationValues() {
        assertThat(FailurePolicy.parse("fail_open")).isEqualTo(FailurePolicy.FAIL_OPEN);
        assertThat(FailurePolicy.parse(" FAIL-CLOSED ")).isEqualTo(FailurePolicy.FAIL_CLOSED);
        assertThat(FailurePolicy.parse("open")).isEqualTo(FailurePolicy.FAIL_OPEN);
        assertThatThrownBy(() -> FailurePolicy.parse("sometimes")).isInstanceOf(IllegalArgumentException.class);
    }
}
