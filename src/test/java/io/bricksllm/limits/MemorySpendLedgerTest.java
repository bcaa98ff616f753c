package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemorySpendLedgerTest extends SpendLedgerContract {
    @Override
    protected List<SpendLedger> gateways(int n) {
        return Collections.nCopies(n, new MemorySpendLedger());
    }

    @Test
    void aReservationNeverSettledStopsHoldingBudgetAfterTheHoldTime() {
        MemorySpendLedger l = new MemorySpendLedger(Duration.ofMinutes(10));
        String s = scope();
        Reservation leaked = await(l.reserve(s, 80, total(100), T0)).orElseThrow();
        assertThat(await(l.reserve(s, 30, total(100), T0.plus(Duration.ofMinutes(9))))).as("80 still held").isEmpty();
        Reservation later = await(l.reserve(s, 30, total(100), T0.plus(Duration.ofMinutes(10)))).orElseThrow();

        await(l.settle(leaked, 5)); // late: its cost counts, its hold was already given back
        assertThat(await(l.reserve(s, 66, total(100), T0.plus(Duration.ofMinutes(10)))))
                .as("30 still held (5 + 30 + 66 > 100): the late settle released nothing twice").isEmpty();
        Reservation fits = await(l.reserve(s, 65, total(100), T0.plus(Duration.ofMinutes(10)))).orElseThrow();
        await(l.settle(later, 30));
        await(l.settle(fits, 0));
        assertThat(await(l.totalSpent(s))).isEqualTo(35);
    }

    @Test
    void leakedHoldsDoNotPileUpWhileBudgetsStillFit() {
        MemorySpendLedger l = new MemorySpendLedger(Duration.ofMinutes(10));
        String s = scope();
        // expired holds are looked for only when they would refuse a request, or once they pile up
        for (int i = 0; i < MemorySpendLedger.PURGE_AT_HOLDS; i++) await(l.reserve(s, 1, total(1_000_000), T0));
        Reservation late = await(l.reserve(s, 1, total(1_000_000), T0.plus(Duration.ofMinutes(11)))).orElseThrow();
        await(l.settle(late, 1));
        assertThat(l.holds(s)).as("the 4,096 leaked holds were dropped while every budget still fitted").isZero();
        assertThat(await(l.reserve(s, 999_999, total(1_000_000), T0.plus(Duration.ofMinutes(11))))).isPresent();
    }
}
