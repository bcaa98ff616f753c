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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the Redis spend counters from the database's events ({@link SpendSeed}) at start-up and
 * whenever Redis has lost them (restart without persistence, FLUSHALL, eviction): every check interval
 * it looks for the ledger's seeded marker and seeds again when it is gone. Seeding never lowers a
 * counter ({@link RedisSpendLedger#seed}), so instances seeding at the same time do not double spend.
 * The database query runs on a worker thread; the marker is set only once every scope was written.
 */
public final class SpendReseeder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpendReseeder.class);

    private final Vertx vertx;
    private final Database db;
    private final RedisSpendLedger ledger;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;

    public SpendReseeder(Vertx vertx, Database db, RedisSpendLedger ledger, Clock clock) {
        this.vertx = vertx;
        this.db = db;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Checks for lost counters every {@code interval}. */
    public SpendReseeder start(Duration interval) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> seedIfLost()
                .onFailure(e -> LOG.warn("cannot check or rebuild spend counters in Redis: {}", e.getMessage())));
        return this;
    }

    /** Seeds when Redis has lost its counters; completes with the number of keys seeded (0: nothing to do). */
    public Future<Integer> seedIfLost() {
        if (!running.compareAndSet(false, true)) return Future.succeededFuture(0);
        return ledger.seeded()
                .compose(seeded -> seeded ? Future.succeededFuture(0) : seed().onSuccess(n ->
                        LOG.warn("spend counters were missing in Redis; rebuilt {} keys and users from the events", n)))
                .andThen(ar -> running.set(false));
    }

    /** Seeds every key and end user from the events and sets the seeded marker; completes with the number of scopes seeded. */
    public Future<Integer> seed() {
        Instant now = clock.instant();
        Collecting collecting = new Collecting(ledger);
        return vertx.executeBlocking(() -> SpendSeed.seedKeys(db, collecting, now) + UserSpendSeed.seedUsers(db, collecting, now), false)
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
