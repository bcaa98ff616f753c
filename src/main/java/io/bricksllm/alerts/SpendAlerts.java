package io.bricksllm.alerts;

import io.bricksllm.config.AlertSettings;
import io.bricksllm.limits.BudgetLimits;
import io.bricksllm.limits.LevelLimits;
import io.bricksllm.limits.RedisConnector;
import io.bricksllm.limits.SpendLedger;
import io.bricksllm.limits.SpendObserver;
import io.bricksllm.limits.Window;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spend alerts (issue 19): after a request's cost was settled at a level with a budget, reads the level's spend and,
 * for each threshold (percent of the total budget, and of the period budget in the current window) it has reached
 * and nobody claimed yet, claims it ({@link AlertClaims}: once per threshold per budget period, across instances)
 * and posts the webhook ({@link WebhookSender}, body in {@link Crossing}). Each alert sent or failed is logged
 * (INFO, logger {@code io.bricksllm.alerts}) and counted in {@code bricksllm_spend_alerts_total{level,threshold,result}}.
 *
 * <p>Cheap when nothing is reached: the spend reads and arithmetic. Thresholds known to be claimed (here or by
 * another instance) are remembered until their period ends, so a level above a threshold costs no claim call per
 * request. Never blocks and never fails the caller: everything runs on futures and every failure is swallowed.
 * Within one call, crossings are claimed, then sent, in ascending order; alerts of different calls may overtake
 * each other while one is being retried.
 *
 * <p>In the embedded mode claims live in memory: a restart forgets them, and a threshold still crossed is sent once
 * more by the new process.
 */
public final class SpendAlerts implements SpendObserver, AutoCloseable {
    public static final String METRIC = "bricksllm.spend_alerts";
    /** How long a period's claim outlives the period: instances' clocks and late settlements differ a little. */
    static final Duration GRACE = Duration.ofMinutes(10);
    /** Remembered claims at which expired ones are looked for. */
    private static final int PURGE_KNOWN_AT = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger("io.bricksllm.alerts");

    private final SpendLedger ledger;
    private final AlertClaims claims;
    private final WebhookSender sender;
    private final List<Integer> thresholds;
    private final MeterRegistry registry;
    /** Claim ids known to be taken → until when (epoch ms); spares the claim store a call per request. */
    private final ConcurrentHashMap<String, Long> known = new ConcurrentHashMap<>();
    private final AtomicInteger purgeKnownAt = new AtomicInteger(PURGE_KNOWN_AT);

    public SpendAlerts(SpendLedger ledger, AlertClaims claims, WebhookSender sender, List<Integer> thresholds, MeterRegistry registry) {
        if (thresholds.isEmpty()) throw new IllegalArgumentException("no thresholds");
        this.ledger = ledger;
        this.claims = claims;
        this.sender = sender;
        this.thresholds = thresholds.stream().sorted().distinct().toList();
        this.registry = registry;
    }

    /**
     * The gateway's observer: {@link SpendObserver#NONE} when alerts are off; else alerts claimed in Redis when
     * {@code redis} is present (scale-out), in memory otherwise.
     */
    public static SpendObserver create(Vertx vertx, Optional<AlertSettings> settings, SpendLedger ledger,
                                       Optional<RedisConnector> redis, MeterRegistry registry) {
        if (settings.isEmpty()) return SpendObserver.NONE;
        AlertSettings s = settings.get();
        AlertClaims claims = redis.<AlertClaims>map(RedisAlertClaims::new).orElseGet(MemoryAlertClaims::new);
        WebhookSender sender = new WebhookSender(vertx, s.webhookUrl(), s.secret(), WebhookSender.Backoff.DEFAULT);
        SpendAlerts alerts = new SpendAlerts(ledger, claims, sender, s.thresholds(), registry);
        LOG.info("spend alerts at {} % of each budget go to {}{}", alerts.thresholds, sender.destination(),
                s.secret().isPresent() ? ", signed" : "");
        return alerts;
    }

    @Override
    public void settled(LevelLimits level, Instant at) {
        observe(level, at);
    }

    /**
     * {@link #settled}, for tests: completes once this call's claims are decided, so every alert it will send has
     * been handed to the sender. Never fails.
     */
    Future<Void> observe(LevelLimits level, Instant at) {
        try {
            if (level == null || !level.limitsSpend()) return Future.succeededFuture();
            BudgetLimits b = level.budget();
            Future<Void> total = b.totalMicros() <= 0 ? Future.succeededFuture()
                    : ledger.totalSpent(level.scope()).compose(spent -> check(level, Crossing.Kind.TOTAL, b.totalMicros(), spent, at));
            Future<Void> period = b.windowMicros() <= 0 || b.window() == null ? Future.succeededFuture()
                    : ledger.windowSpent(level.scope(), b.window(), at).compose(spent -> check(level, Crossing.Kind.PERIOD, b.windowMicros(), spent, at));
            // a spend read that failed (store unavailable) sends nothing now: the next settlement looks again
            return Future.join(total, period).<Void>mapEmpty().otherwiseEmpty();
        } catch (RuntimeException e) { // an alert must never fail a request
            LOG.warn("spend alert check failed for {} {}: {}", level.level().label(), level.id(), e.toString());
            return Future.succeededFuture();
        }
    }

    private Future<Void> check(LevelLimits level, Crossing.Kind kind, long limit, long spent, Instant at) {
        if (!Crossing.reached(spent, limit, thresholds.get(0))) return Future.succeededFuture(); // the usual case
        BudgetLimits b = level.budget();
        Window window = kind == Crossing.Kind.PERIOD ? b.window() : null;
        long start = window == null ? 0 : window.start(at);
        long end = window == null ? 0 : window.end(at);
        long nowMs = at.toEpochMilli();
        List<Crossing> open = new ArrayList<>();
        for (int t : thresholds) {
            if (!Crossing.reached(spent, limit, t)) break;
            Crossing c = new Crossing(level, kind, limit, window, start, end, spent, t, at);
            Long until = known.get(c.id());
            if (until == null || until <= nowMs) open.add(c);
        }
        if (open.isEmpty()) return Future.succeededFuture();
        List<Crossing> won = new ArrayList<>();
        return claimInOrder(open, 0, won, at).andThen(done -> sendInOrder(won, 0));
    }

    /** Claims the crossings one after the other, ascending, collecting those this instance won. */
    private Future<Void> claimInOrder(List<Crossing> open, int i, List<Crossing> won, Instant at) {
        if (i >= open.size()) return Future.succeededFuture();
        Crossing c = open.get(i);
        long until = c.claimExpiresAt(GRACE.toMillis());
        return claims.claim(c.id(), until, at).transform(ar -> {
            if (ar.failed()) { // store unavailable: this one and the higher ones are not sent now; the next settlement tries again
                LOG.debug("spend alert {} not claimed: {}", c.id(), ar.cause().toString());
                return Future.succeededFuture();
            }
            remember(c.id(), until, at.toEpochMilli());
            if (ar.result()) won.add(c);
            return claimInOrder(open, i + 1, won, at);
        });
    }

    /** Sends the alerts one after the other, so that a receiver sees 50 % before 80 % of the same jump. */
    private void sendInOrder(List<Crossing> won, int i) {
        if (i >= won.size()) return;
        Crossing c = won.get(i);
        sender.send(Buffer.buffer(c.payload().encode())).onComplete(sent -> {
            report(c, sent.succeeded() ? sent.result() : new WebhookSender.Delivery(false, 0, 0, String.valueOf(sent.cause())));
            sendInOrder(won, i + 1);
        });
    }

    private void remember(String id, long until, long nowMs) {
        known.put(id, until);
        int at = purgeKnownAt.get();
        if (known.size() >= at && purgeKnownAt.compareAndSet(at, Integer.MAX_VALUE)) {
            known.values().removeIf(u -> u <= nowMs);
            if (known.size() >= PURGE_KNOWN_AT * 10) known.clear(); // only a cache: the claim store stays the authority
            purgeKnownAt.set(Math.max(PURGE_KNOWN_AT, 2 * known.size()));
        }
    }

    private void report(Crossing c, WebhookSender.Delivery d) {
        String result = d.sent() ? "sent" : "failed";
        Counter.builder(METRIC)
                .description("Spend threshold alerts, by level, threshold percent and whether the webhook took them")
                .tag("level", c.level().level().label()).tag("threshold", Integer.toString(c.threshold())).tag("result", result)
                .register(registry).increment();
        var line = LOG.atInfo()
                .addKeyValue("event", "spend_alert")
                .addKeyValue("result", result)
                .addKeyValue("alertId", c.id())
                .addKeyValue("level", c.level().level().label())
                .addKeyValue("id", c.level().id())
                .addKeyValue("budget", c.kind().label)
                .addKeyValue("thresholdPercent", c.threshold())
                .addKeyValue("attempts", d.attempts())
                .addKeyValue("status", d.status());
        line.log("spend alert {}: {} {} reached {} % of its {} budget (${} of ${}) after {} attempt(s){}", result,
                c.level().level().label(), c.level().id(), c.threshold(), c.kind().label,
                io.bricksllm.limits.Micros.toUsd(c.spentMicros()), io.bricksllm.limits.Micros.toUsd(c.limitMicros()),
                d.attempts(), d.sent() ? "" : ": " + d.error());
    }

    @Override
    public void close() {
        sender.close();
    }
}
