package io.bricksllm.limits;

import static io.bricksllm.limits.Gateways.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryLimitLedgerTest extends LimitLedgerContract {
    private final MemorySpendLedger spend = new MemorySpendLedger(Duration.ofMinutes(10));
    private final MemoryLimitLedger ledger = new MemoryLimitLedger(spend);

    @Override
    protected List<LimitLedger> gateways(int n) {
        return Collections.nCopies(n, ledger);
    }

    @Override
    protected SpendLedger spendLedger() {
        return spend;
    }

    @Test
    void aSlotNeverSettledIsGivenUpAfterTheSlotTimeAsItsReservationIs() {
        LevelLimits key = limits(Level.KEY, Scopes.key(id()), 0, 0, total(100), 1);
        admitted(ledger, request(T0, 80, 0, key)); // never settled
        Admission.Refused r = refused(ledger, request(T0.plus(Duration.ofMinutes(9)), 30, 0, key));
        assertThat(r.kind()).as("80 of 100 held").isEqualTo(LimitKind.BUDGET);
        LevelLimits slotOnly = concurrency(Level.KEY, key.scope(), 1);
        assertThat(refused(ledger, request(T0.plus(Duration.ofMinutes(9)), 0, 0, slotOnly)).kind()).isEqualTo(LimitKind.CONCURRENCY);
        Admission.Admitted later = admitted(ledger, request(T0.plus(Duration.ofMinutes(10)), 30, 0, key));
        assertThat(snap(ledger, key, T0.plus(Duration.ofMinutes(10))).inFlight()).isEqualTo(1);
        await(ledger.settle(later.ticket(), settlement(30, 0)));
        assertThat(await(spend.totalSpent(key.scope()))).isEqualTo(30);
        assertThat(spend.holds(key.scope())).as("no hold left behind once the leak expired").isZero();
    }

    @Test
    void countersOfPassedWindowsWithNothingInFlightAreDropped() {
        for (int i = 0; i < 4_095; i++) admitted(ledger, request(T0, 0, 10, limits(Level.KEY, Scopes.key(id()), 5, 100, null, 0)));
        LevelLimits busy = concurrency(Level.TEAM, Scopes.team(id()), 3);
        admitted(ledger, request(T0, 0, 0, busy));
        assertThat(ledger.scopes()).isEqualTo(4_096);
        admitted(ledger, request(T0.plus(Duration.ofMinutes(2)), 0, 0, requests(Level.KEY, Scopes.key(id()), 5)));
        assertThat(ledger.scopes()).as("the in-flight scope and the new one").isEqualTo(2);
        assertThat(snap(ledger, busy, T0.plus(Duration.ofMinutes(2))).inFlight()).isEqualTo(1);
    }
}
