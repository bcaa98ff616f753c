package io.bricksllm.limits;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Admission over the whole hierarchy (issue 19): a request is admitted only when every level that applies — team,
 * key, end user — admits it, in one atomic step (one Lua call in Redis; one critical section in memory), and a
 * refusal at one level takes nothing at the others. Shares its counters with {@link SpendLedger} (seeding, reads) under
 * the same scopes.
 *
 * <p>Per level: requests per window (check-and-increment), tokens per window and USD budgets (reserve, then settle to
 * the real usage; with others in flight a reservation must fit under the limit, alone it needs only the limit not to
 * be reached), and requests in flight ({@code maxConcurrent}; a lease that a crashed instance cannot hold longer than
 * the lease time, renewed while the request lasts).
 */
public interface LimitLedger {
    Future<Admission> admit(AdmissionRequest request);

    /** Ends an admitted request at every level: settles tokens and cost, releases its concurrency slots. Never fails. */
    Future<Void> settle(Ticket ticket, Settlement settlement);

    /** A level's counters in their windows containing {@code now}; changes nothing. */
    Future<LevelSnapshot> snapshot(LevelLimits level, Instant now);
}
