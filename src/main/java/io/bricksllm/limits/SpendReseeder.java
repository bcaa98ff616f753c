package io.bricksllm.limits;

import io.bricksllm.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the Redis spend counters of keys, end users and teams from the database's events ({@link SpendSeed},
 * {@link UserSpendSeed}, team scopes) at start-up and whenever Redis has lost them (restart without
 * persistence, FLUSHALL, eviction): every check interval it looks for the ledger's seeded marker and seeds again
 * when it is gone. Seeding never lowers a counter ({@link RedisSpendLedger#seed}), so instances seeding at the same
 * time do not double spend.
 * The database query runs on a worker thread; the marker is set only once every scope was written.
 *
 * <p>Redis may also come back <em>with</em> its data (persistence, a network cut): the marker is there, but
 * costs settled while it was unreachable never reached it. So after calls to the store failed, the next two
 * checks seed again even with the marker present — the second one after the events of the last failed
 * settles have had a whole interval to reach the database.
 */
public final class SpendReseeder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpendReseeder.class);

    private final Vertx vertx;
    private final Database db;
    private final RedisSpendLedger ledger;
    private final Clock clock;
    private final LongSupplier storeFailures;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;
    /** Store failures counted at the last check (the periodic check runs one at a time). */
    private long failuresSeen;
    /** Seeds still to run although the marker is there: set to two when store calls failed since the last check. */
    private final AtomicInteger seedsOwed = new AtomicInteger();

    public SpendReseeder(Vertx vertx, Database db, RedisSpendLedger ledger, Clock clock) {
        this(vertx, db, ledger, clock, () -> 0);
    }

    /** @param storeFailures calls to the ledger's store that failed so far (its guard's count), to catch up after an outage */
    public SpendReseeder(Vertx vertx, Database db, RedisSpendLedger ledger, Clock clock, LongSupplier storeFailures) {
        this.vertx = vertx;
        this.db = db;
        this.ledger = ledger;
        this.clock = clock;
        this.storeFailures = storeFailures;
        this.failuresSeen = storeFailures.getAsLong();
    }

    /** Checks for lost counters every {@code interval}. */
    public SpendReseeder start(Duration interval) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> check().onFailure(e -> {
            // an unreachable Redis is reported once by its connector; anything else is this check's own failure
            if (e instanceof LimitStoreUnavailable) LOG.debug("cannot check spend counters in Redis: {}", e.getMessage());
            else LOG.warn("cannot check or rebuild spend counters in Redis: {}", e.getMessage());
        }));
        return this;
    }

    /** One periodic check: seeds when the counters are lost, or when calls to the store failed lately. */
    Future<Integer> check() {
        long failures = storeFailures.getAsLong();
        if (failures != failuresSeen) {
            failuresSeen = failures;
            seedsOwed.set(2); // now, and once more after the last failed settle's event had time to be stored
        }
        if (seedsOwed.get() == 0) return seedIfLost();
        if (!running.compareAndSet(false, true)) return Future.succeededFuture(0);
        return seed().andThen(ar -> {
            running.set(false);
            if (ar.succeeded() && seedsOwed.updateAndGet(n -> Math.max(0, n - 1)) == 0) {
                LOG.info("spend counters in Redis caught up with the events after the store was unavailable");
            }
        });
    }

    /** Seeds when Redis has lost its counters; completes with the number of keys seeded (0: nothing to do). */
    public Future<Integer> seedIfLost() {
        if (!running.compareAndSet(false, true)) return Future.succeededFuture(0);
        return ledger.seeded()
                .compose(seeded -> seeded ? Future.succeededFuture(0) : seed().onSuccess(n ->
                        LOG.warn("spend counters were missing in Redis; rebuilt {} keys, users and teams from the events", n)))
                .andThen(ar -> running.set(false));
    }

    /** Seeds every key, end user and team from the events and sets the seeded marker; completes with the number of scopes seeded. */
    public Future<Integer> seed() {
        Instant now = clock.instant();
        Collecting collecting = new Collecting(ledger);
        return vertx.executeBlocking(() -> SpendSeed.seedKeys(db, collecting, now) + UserSpendSeed.seedUsers(db, collecting, now)
                        + SpendSeed.seedTeams(db, collecting, now), false)
                .compose(n -> Future.all(collecting.seeds()).compose(v -> ledger.markSeeded(now)).map(n));
    }

    @Override
    public void close() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }

    /** Passes seeds on and keeps their futures, so that the marker waits for all of them. */
    private static final class Collecting implements SpendLedger {
        private final SpendLedger ledger;
        private final List<Future<Void>> seeds = new ArrayList<>();

        Collecting(SpendLedger ledger) {
            this.ledger = ledger;
        }

        synchronized List<Future<Void>> seeds() {
            return List.copyOf(seeds);
        }

        @Override
        public Future<Void> seed(String scope, long totalMicros, Map<Window, Long> currentWindowMicros, Instant now) {
            Future<Void> f = ledger.seed(scope, totalMicros, currentWindowMicros, now);
            synchronized (this) {
                seeds.add(f);
            }
            return f;
        }

        @Override
        public Future<Optional<Reservation>> reserve(String scope, long estimateMicros, BudgetLimits limits, Instant now) {
            return ledger.reserve(scope, estimateMicros, limits, now);
        }

        @Override
        public Future<Void> settle(Reservation reservation, long actualMicros) {
            return ledger.settle(reservation, actualMicros);
        }

        @Override
        public Future<Void> record(String scope, long micros, Instant at) {
            return ledger.record(scope, micros, at);
        }

        @Override
        public Future<Long> totalSpent(String scope) {
            return ledger.totalSpent(scope);
        }

        @Override
        public Future<Long> windowSpent(String scope, Window window, Instant now) {
            return ledger.windowSpent(scope, window, now);
        }
    }
}
