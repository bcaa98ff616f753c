package io.bricksllm.limits;

import java.util.Collections;
import java.util.List;

class MemorySpendLedgerTest extends SpendLedgerContract {
    @Override
    protected List<SpendLedger> gateways(int n) {
        return Collections.nCopies(n, new MemorySpendLedger());
    }
}
