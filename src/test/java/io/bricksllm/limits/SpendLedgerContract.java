package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link SpendLedger} shares (reserve-then-settle, MemorySpendLedger's admission rule). */
abstract class SpendLedgerContract {
    static final Instant T0 = Instant.parse("2031-05-17T10:15:30.250Z");

    /** {@code n} handles on one shared store, as {@code n} gateway processes would have. */
    protected abstract List<SpendLedger> gateways(int n);

    static String scope() {
        return "key:" + UUID.randomUUID();
    }

    static BudgetLimits total(long micros) {
        return new BudgetLimits(micros, 0, null);
    }

    static BudgetLimits perWindow(long micros, Window w) {
        return new BudgetLimits(0, micros, w);
    }

    private static Reservation reserved(SpendLedger l, String scope, long estimate, BudgetLimits limits, Instant now) {
        Optional<Reservation> r = await(l.reserve(scope, estimate, limits, now));
        assertThat(r).as("reservation of %d", estimate).isPresent();
        return r.get();
    }

    private static boolean admits(SpendLedger l, String scope, long estimate, BudgetLimits limits, Instant now) {
        return await(l.reserve(scope, estimate, limits, now)).isPresent();
    }

    @Test
    void admitsWhileBelowTheLimitAndRefusesOnceItIsReached() {
        SpendLedger l = gateways(1).get(0);
        String s = scope();
        for (int i = 0; i < 3; i++) await(l.settle(reserved(l, s, 40, total(100), T0), 40));
        assertThat(await(l.totalSpent(s))).isEqualTo(120);
        assertThat(admits(l, s, 1, total(100), T0)).isFalse();
        assertThat(admits(l, s, 1, total(121), T0)).isTrue();
    }

    @Test
    void withOtherRequestsInFlightANewReservationMustFitToo() {
        SpendLedger l = gateways(1).get(0);
        String s = scope();
        Reservation first = reserved(l, s, 60, total(100), T0);
        assertThat(admits(l, s, 50, total(100), T0)).as("60 held + 50 > 100").isFalse();
        Reservation second = reserved(l, s, 40, total(100), T0);
        assertThat(admits(l, s, 1, total(100), T0)).as("100 held").isFalse();
        await(l.settle(first, 10));
        await(l.settle(second, 0));
        assertThat(await(l.totalSpent(s))).isEqualTo(10);
        assertThat(admits(l, s, 90, total(100), T0)).isTrue();
    }

    @Test
    void aLoneRequestIsAdmittedBelowTheLimitEvenIfItsEstimateWouldPassIt() {
        SpendLedger l = gateways(1).get(0);
        String s = scope();
        await(l.settle(reserved(l, s, 10, total(100), T0), 90));
        assertThat(admits(l, s, 500, total(100), T0)).isTrue();
    }

    @Test
    void settlingReplacesTheReservationByTheRealCostAndZeroReleasesIt() {
        List<SpendLedger> gw = gateways(2);
        String s = scope();
        Reservation r = reserved(gw.get(0), s, 70, total(100), T0);
        assertThat(admits(gw.get(1), s, 40, total(100), T0)).isFalse();
        await(gw.get(0).settle(r, 20));
        assertThat(await(gw.get(1).totalSpent(s))).isEqualTo(20);
        assertThat(await(gw.get(1).windowSpent(s, Window.MINUTE, T0))).isEqualTo(20);
        Reservation again = reserved(gw.get(1), s, 80, total(100), T0);
        await(gw.get(1).settle(again, 0));
        assertThat(await(gw.get(0).totalSpent(s))).isEqualTo(20);
        assertThat(admits(gw.get(0), s, 80, total(100), T0)).as("nothing held any more").isTrue();
    }

    @Test
    void aWindowLimitResetsWithItsWindowWhileTheTotalStays() {
        SpendLedger l = gateways(1).get(0);
        String s = scope();
        BudgetLimits limits = new BudgetLimits(1_000, 100, Window.MINUTE);
        await(l.settle(reserved(l, s, 60, limits, T0), 60));
        await(l.settle(reserved(l, s, 60, limits, T0), 60));
        assertThat(admits(l, s, 1, limits, T0.plusSeconds(10))).isFalse();
        Instant nextMinute = Instant.ofEpochMilli(Window.MINUTE.end(T0));
        assertThat(await(l.windowSpent(s, Window.MINUTE, nextMinute))).isZero();
        assertThat(await(l.windowSpent(s, Window.MINUTE, T0))).isEqualTo(120);
        assertThat(await(l.windowSpent(s, Window.HOUR, nextMinute))).isEqualTo(120);
        await(l.settle(reserved(l, s, 60, limits, nextMinute), 50));
        assertThat(await(l.totalSpent(s))).isEqualTo(170);
        assertThat(await(l.windowSpent(s, Window.MINUTE, nextMinute))).isEqualTo(50);
    }

    @Test
    void aWindowLimitCountsReservationsInFlight() {
        SpendLedger l = gateways(1).get(0);
        String s = scope();
        BudgetLimits limits = perWindow(100, Window.HOUR);
        reserved(l, s, 70, limits, T0);
        assertThat(admits(l, s, 40, limits, T0)).isFalse();
        assertThat(admits(l, s, 30, limits, T0)).isTrue();
    }

    @Test
    void recordedSpendCountsInEveryWindowOfItsInstant() {
        SpendLedger l = gateways(1).get(0);
        String s = scope();
        await(l.record(s, 7, T0));
        for (Window w : List.of(Window.MINUTE, Window.HOUR, Window.DAY, Window.MONTH)) {
            assertThat(await(l.windowSpent(s, w, T0))).as(w.unit()).isEqualTo(7);
        }
        await(l.record(s, 5, T0.plus(Duration.ofDays(40))));
        assertThat(await(l.totalSpent(s))).isEqualTo(12);
        assertThat(await(l.windowSpent(s, Window.MONTH, T0.plus(Duration.ofDays(40))))).isEqualTo(5);
    }

    @Test
    void seedingAnEmptyScopeRestoresItsTotalAndCurrentWindows() {
        SpendLedger l = gateways(1).get(0);
        String s = scope();
        await(l.seed(s, 500, Map.of(Window.DAY, 120L, Window.MONTH, 300L), T0));
        assertThat(await(l.totalSpent(s))).isEqualTo(500);
        assertThat(await(l.windowSpent(s, Window.DAY, T0))).isEqualTo(120);
        assertThat(await(l.windowSpent(s, Window.MONTH, T0))).isEqualTo(300);
        assertThat(await(l.windowSpent(s, Window.MINUTE, T0))).isZero();
        assertThat(admits(l, s, 1, total(500), T0)).isFalse();
        assertThat(admits(l, s, 1, perWindow(120, Window.DAY), T0)).isFalse();
        assertThat(admits(l, s, 1, perWindow(120, Window.DAY), T0.plus(Duration.ofDays(1)))).isTrue();
    }

    @Test
    void anUnknownScopeHasSpentNothing() {
        SpendLedger l = gateways(1).get(0);
        assertThat(await(l.totalSpent(scope()))).isZero();
        assertThat(await(l.windowSpent(scope(), Window.DAY, T0))).isZero();
    }

    @Test
    void threeGatewaysSpendingConcurrentlyNeverPassTheTotalLimitByMoreThanOneRequest() throws Exception {
        spendConcurrently(total(1_010), 30, 25);
    }

    @Test
    void threeGatewaysSpendingConcurrentlyNeverPassTheWindowLimitByMoreThanOneRequest() throws Exception {
        spendConcurrently(perWindow(710, Window.MINUTE), 30, 25);
    }

    /**
     * 3 gateways × 20 request loops (reserve, settle, again until refused), all at once. Every admitted
     * request settles {@code actual ≤ estimate}: the spend may pass the limit by at most one request.
     */
    private void spendConcurrently(BudgetLimits limits, long estimate, long actual) throws Exception {
        long limit = limits.totalMicros() > 0 ? limits.totalMicros() : limits.windowMicros();
        List<SpendLedger> gateways = gateways(3);
        String s = scope();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        int admitted = 0;
        try {
            List<java.util.concurrent.Future<List<Future<Integer>>>> fired = new ArrayList<>();
            for (SpendLedger gateway : gateways) {
                fired.add(threads.submit(() -> {
                    go.await();
                    List<Future<Integer>> loops = new ArrayList<>();
                    for (int i = 0; i < 20; i++) loops.add(spendUntilRefused(gateway, s, limits, estimate, actual, T0.plusMillis(i)));
                    return loops;
                }));
            }
            go.countDown();
            for (var f : fired) for (Future<Integer> loop : f.get()) admitted += await(loop);
        } finally {
            threads.shutdownNow();
        }
        long spent = await(gateways.get(0).totalSpent(s));
        System.out.printf("[%s] 3 gateways x 20 loops, limit %d, estimate %d, actual %d: %d admitted, spent %d%n",
                getClass().getSimpleName(), limit, estimate, actual, admitted, spent);
        assertThat(spent).as("no settled cost lost").isEqualTo(admitted * actual);
        assertThat(spent).isLessThanOrEqualTo(limit + actual);

        int more = await(spendUntilRefused(gateways.get(1), s, limits, estimate, actual, T0.plusSeconds(1)));
        long finalSpent = await(gateways.get(2).totalSpent(s));
        assertThat(finalSpent).as("after %d more requests, nothing left reserved", more).isBetween(limit, limit + actual);
    }

    private static Future<Integer> spendUntilRefused(SpendLedger l, String s, BudgetLimits limits, long estimate, long actual, Instant now) {
        return l.reserve(s, estimate, limits, now).compose(r -> r.isEmpty()
                ? Future.succeededFuture(0)
                : l.settle(r.get(), actual).compose(v -> spendUntilRefused(l, s, limits, estimate, actual, now)).map(n -> n + 1));
    }
}
