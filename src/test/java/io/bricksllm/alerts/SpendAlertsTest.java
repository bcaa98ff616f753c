package io.bricksllm.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.config.AlertSettings;
import io.bricksllm.config.RedisSettings;
import io.bricksllm.limits.BudgetLimits;
import io.bricksllm.limits.Level;
import io.bricksllm.limits.LevelLimits;
import io.bricksllm.limits.MemorySpendLedger;
import io.bricksllm.limits.Micros;
import io.bricksllm.limits.RedisConnector;
import io.bricksllm.limits.RedisSpendLedger;
import io.bricksllm.limits.Scopes;
import io.bricksllm.limits.SpendLedger;
import io.bricksllm.limits.SpendObserver;
import io.bricksllm.limits.Window;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.TestRedis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spend alerts end to end below the proxy: real ledgers (memory, and Redis shared by two "instances"), the real
 * claim stores and sender, and a real HTTP receiver. Each step waits until every claim of its settlements is
 * decided ({@link SpendAlerts#observe}), so the number of alerts won is final and the receiver must get exactly those.
 */
class SpendAlertsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final WebhookSender.Backoff FAST =
            new WebhookSender.Backoff(6, Duration.ofMillis(10), Duration.ofMillis(80), Duration.ofSeconds(5));
    private static final List<Integer> THRESHOLDS = List.of(50, 80, 100);
    private static final long TEN_USD = Micros.of(10.0);

    private static Vertx vertx;
    private static TestRedis redis;

    private Receiver receiver;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        redis = TestRedis.start();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
        redis.close();
    }

    @BeforeEach
    void listen() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
        receiver.close();
    }

    @Test
    void fiftyThenEightyThenHundredEachFireExactlyOnceInOrderHoweverOftenAndConcurrentlySettled() {
        MemorySpendLedger ledger = new MemorySpendLedger();
        Counting claims = new Counting(new MemoryAlertClaims());
        SpendAlerts alerts = alerts(ledger, claims, Optional.empty());
        LevelLimits team = level(Level.TEAM, new BudgetLimits(TEN_USD, 0, null));
        Instant at = Instant.now();

        spend(ledger, team, 4.99, at);
        settleConcurrently(List.of(alerts), team, at, 32);
        assertThat(claims.won.get()).as("below every threshold: nothing claimed").isZero();

        spend(ledger, team, 0.51, at); // 5.50 of 10: 55 %
        settleConcurrently(List.of(alerts), team, at, 32);
        expectAlerts(claims, 1);
        spend(ledger, team, 1.0, at); // 65 %: no new threshold
        settleConcurrently(List.of(alerts), team, at, 32);
        spend(ledger, team, 2.0, at); // 85 %
        settleConcurrently(List.of(alerts), team, at, 32);
        expectAlerts(claims, 2);
        spend(ledger, team, 1.5, at); // exactly 100 %
        settleConcurrently(List.of(alerts), team, at, 32);
        expectAlerts(claims, 3);
        settleConcurrently(List.of(alerts), team, at, 32);

        assertThat(claims.won.get()).isEqualTo(3);
        assertThat(receiver.thresholds()).containsExactly(50, 80, 100);
        JsonObject first = receiver.got.peek().json();
        assertThat(first.getString("type")).isEqualTo("spend_threshold");
        assertThat(first.getString("level")).isEqualTo("team");
        assertThat(first.getString("id")).isEqualTo(team.id());
        assertThat(first.getString("scope")).isEqualTo(team.scope());
        assertThat(first.getDouble("spendUsd")).isEqualTo(5.5);
        assertThat(first.getLong("at")).isEqualTo(at.getEpochSecond());
        assertThat(first.getJsonObject("budget")).isEqualTo(new JsonObject().put("kind", "total").put("limitUsd", 10.0));
        assertThat(first.getString("alertId")).isEqualTo(team.scope() + "/total/" + TEN_USD + "/50");
        // counted once the receiver's answer is back, just after it recorded the body
        Poll.until(DEADLINE, "three alerts counted", () -> THRESHOLDS.stream().mapToDouble(t -> count(registry, "team", t, "sent")).sum() == 3);
        for (int t : THRESHOLDS) assertThat(count(registry, "team", t, "sent")).as("sent at %d %%", t).isEqualTo(1.0);
        assertThat(receiver.got).allSatisfy(r -> {
            assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
            assertThat(r.headers().get(WebhookSender.SIGNATURE_HEADER)).as("no secret, no signature").isNull();
        });
    }

    @Test
    void aJumpPastEveryThresholdSendsEachInAscendingOrder() {
        MemorySpendLedger ledger = new MemorySpendLedger();
        Counting claims = new Counting(new MemoryAlertClaims());
        SpendAlerts alerts = alerts(ledger, claims, Optional.empty());
        LevelLimits key = level(Level.KEY, new BudgetLimits(TEN_USD, 0, null));
        Instant at = Instant.now();
        spend(ledger, key, 12.0, at);
        settleConcurrently(List.of(alerts), key, at, 8);
        expectAlerts(claims, 3);
        assertThat(receiver.thresholds()).containsExactly(50, 80, 100);
        assertThat(receiver.got).allSatisfy(r -> assertThat(r.json().getString("level")).isEqualTo("key"));
    }

    @Test
    void twoInstancesSharingRedisSendEachThresholdOnce() {
        RedisSettings settings = new RedisSettings("127.0.0.1", redis.port(), "", "", 0, Duration.ofSeconds(5));
        RedisConnector a = connector(settings);
        RedisConnector b = connector(settings);
        RedisSpendLedger ledgerA = new RedisSpendLedger(a);
        RedisSpendLedger ledgerB = new RedisSpendLedger(b);
        Counting claimsA = new Counting(new RedisAlertClaims(a));
        Counting claimsB = new Counting(new RedisAlertClaims(b));
        SpendAlerts one = alerts(ledgerA, claimsA, Optional.empty());
        SpendAlerts two = alerts(ledgerB, claimsB, Optional.empty());
        Counting both = new Counting(null) {
            @Override
            int total() {
                return claimsA.won.get() + claimsB.won.get();
            }
        };
        // a total and a daily budget: each counts its own thresholds
        LevelLimits user = level(Level.USER, new BudgetLimits(Micros.of(100.0), TEN_USD, Window.DAY));
        Instant at = Instant.now();

        spend(ledgerA, user, 4.0, at);
        settleConcurrently(List.of(one, two), user, at, 40);
        assertThat(both.total()).isZero();
        spend(ledgerB, user, 1.0, at); // 5 of 10 a day: exactly 50 %
        settleConcurrently(List.of(one, two), user, at, 40);
        expectAlerts(both, 1);
        spend(ledgerA, user, 3.5, at);
        settleConcurrently(List.of(one, two), user, at, 40);
        expectAlerts(both, 2);
        spend(ledgerB, user, 1.6, at); // 10.1 of 10 a day
        settleConcurrently(List.of(one, two), user, at, 40);
        expectAlerts(both, 3);
        settleConcurrently(List.of(one, two), user, at, 40);

        assertThat(both.total()).isEqualTo(3);
        assertThat(receiver.thresholds()).containsExactly(50, 80, 100);
        JsonObject budget = receiver.got.peek().json().getJsonObject("budget");
        long dayStart = Window.DAY.start(at) / 1000;
        assertThat(budget).isEqualTo(new JsonObject().put("kind", "period").put("limitUsd", 10.0).put("unit", "d")
                .put("periodStart", dayStart).put("periodEnd", dayStart + 86_400));
        assertThat(redis.command("PTTL", RedisAlertClaims.PREFIX + receiver.got.peek().json().getString("alertId")))
                .as("the claim expires after the day, plus grace")
                .satisfies(ttl -> assertThat(Long.parseLong(ttl)).isPositive()
                        .isLessThanOrEqualTo(Window.DAY.end(at) + SpendAlerts.GRACE.toMillis() - at.toEpochMilli()));
    }

    @Test
    void aNewPeriodFiresAgain() {
        RedisSettings settings = new RedisSettings("127.0.0.1", redis.port(), "", "", 0, Duration.ofSeconds(5));
        RedisSpendLedger ledger = new RedisSpendLedger(connector(settings));
        Counting claims = new Counting(new RedisAlertClaims(connector(settings)));
        SpendAlerts alerts = alerts(ledger, claims, Optional.empty());
        LevelLimits key = level(Level.KEY, new BudgetLimits(0, TEN_USD, Window.DAY));
        Instant today = Instant.now();
        Instant tomorrow = today.plus(Duration.ofDays(1));

        spend(ledger, key, 6.0, today);
        settleConcurrently(List.of(alerts), key, today, 10);
        expectAlerts(claims, 1);
        spend(ledger, key, 6.0, tomorrow);
        settleConcurrently(List.of(alerts), key, tomorrow, 10);
        expectAlerts(claims, 2);
        settleConcurrently(List.of(alerts), key, tomorrow, 10);

        assertThat(claims.won.get()).isEqualTo(2);
        assertThat(receiver.thresholds()).containsExactly(50, 50);
        List<Long> starts = receiver.distinct().stream().map(r -> r.json().getJsonObject("budget").getLong("periodStart")).toList();
        assertThat(starts).containsExactly(Window.DAY.start(today) / 1000, Window.DAY.start(tomorrow) / 1000);
    }

    @Test
    void aRaisedLimitIsANewBudget() {
        MemorySpendLedger ledger = new MemorySpendLedger();
        Counting claims = new Counting(new MemoryAlertClaims());
        SpendAlerts alerts = alerts(ledger, claims, Optional.empty());
        LevelLimits ten = level(Level.TEAM, new BudgetLimits(TEN_USD, 0, null));
        LevelLimits twelve = new LevelLimits(Level.TEAM, ten.id(), ten.scope(), 0, null, 0, null,
                new BudgetLimits(Micros.of(12.0), 0, null), 0);
        Instant at = Instant.now();
        spend(ledger, ten, 6.0, at);
        settleConcurrently(List.of(alerts), ten, at, 4);
        expectAlerts(claims, 1);
        settleConcurrently(List.of(alerts), twelve, at, 4); // 6 of 12: 50 % of the new limit
        expectAlerts(claims, 2);
        assertThat(receiver.distinct().stream().map(r -> r.json().getJsonObject("budget").getDouble("limitUsd")).toList())
                .containsExactly(10.0, 12.0);
    }

    @Test
    void theSignatureIsTheHmacOfTheExactBodyWithTheSecret() throws Exception {
        MemorySpendLedger ledger = new MemorySpendLedger();
        Counting claims = new Counting(new MemoryAlertClaims());
        SpendAlerts alerts = alerts(ledger, claims, Optional.of("s3cret-for-the-test"));
        LevelLimits team = level(Level.TEAM, new BudgetLimits(TEN_USD, 0, null));
        Instant at = Instant.now();
        spend(ledger, team, 8.0, at);
        settleConcurrently(List.of(alerts), team, at, 2);
        expectAlerts(claims, 2);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret-for-the-test".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        for (Received r : receiver.got) {
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(r.raw()));
            assertThat(r.headers().get(WebhookSender.SIGNATURE_HEADER)).isEqualTo(expected);
        }
        mac.init(new SecretKeySpec("another".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        Received r = receiver.got.peek();
        assertThat(r.headers().get(WebhookSender.SIGNATURE_HEADER)).as("a wrong secret does not verify")
                .isNotEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.raw())));
    }

    @Test
    void aReceiverFailingTwiceGetsTheAlertOnceAfterRetries() {
        receiver.answerFirst(500, 429);
        MemorySpendLedger ledger = new MemorySpendLedger();
        Counting claims = new Counting(new MemoryAlertClaims());
        SpendAlerts alerts = alerts(ledger, claims, Optional.empty());
        LevelLimits team = level(Level.TEAM, new BudgetLimits(TEN_USD, 0, null));
        Instant at = Instant.now();
        spend(ledger, team, 5.0, at);
        settleConcurrently(List.of(alerts), team, at, 8);
        expectAlerts(claims, 1);
        Poll.until(DEADLINE, "counted as sent", () -> count(registry, "team", 50, "sent") == 1.0);
        assertThat(receiver.hits.get()).as("two refused attempts, then the one taken").isEqualTo(3);
        assertThat(count(registry, "team", 50, "failed")).isZero();
    }

    @Test
    void aReceiverThatNeverTakesItIsCountedAsFailedAfterTheLastAttempt() {
        receiver.answerFirst(503, 503, 503, 503, 503, 503, 503);
        MemorySpendLedger ledger = new MemorySpendLedger();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SpendAlerts alerts = new SpendAlerts(ledger, new MemoryAlertClaims(), sender(Optional.empty(),
                new WebhookSender.Backoff(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5))), THRESHOLDS, prometheus);
        closing.add(alerts);
        LevelLimits user = level(Level.USER, new BudgetLimits(TEN_USD, 0, null));
        spend(ledger, user, 5.0, Instant.now());
        alerts.observe(user, Instant.now()).await();
        Poll.until(DEADLINE, "counted as failed", () -> count(prometheus, "user", 50, "failed") == 1.0);
        assertThat(receiver.hits.get()).isEqualTo(3);
        assertThat(receiver.got).isEmpty();
        assertThat(prometheus.scrape()).contains("bricksllm_spend_alerts_total{level=\"user\",result=\"failed\",threshold=\"50\"} 1.0");
    }

    @Test
    void noWebhookConfiguredMeansNoObserver() {
        assertThat(SpendAlerts.create(vertx, Optional.empty(), new MemorySpendLedger(), Optional.empty(), registry))
                .isSameAs(SpendObserver.NONE);
        SpendObserver on = SpendAlerts.create(vertx, Optional.of(new AlertSettings(receiver.url(), Optional.empty(), THRESHOLDS)),
                new MemorySpendLedger(), Optional.empty(), registry);
        assertThat(on).isInstanceOf(SpendAlerts.class);
        ((SpendAlerts) on).close();
    }

    @Test
    void memoryClaimsAreDroppedAfterTheirPeriod() {
        MemoryAlertClaims claims = new MemoryAlertClaims();
        Instant now = Instant.now();
        assertThat(claims.claim("a", now.toEpochMilli() + 1_000, now).result()).isTrue();
        assertThat(claims.claim("a", now.toEpochMilli() + 1_000, now).result()).isFalse();
        assertThat(claims.claim("total", Long.MAX_VALUE, now).result()).isTrue();
        Instant later = now.plusSeconds(2);
        assertThat(claims.claim("a", later.toEpochMilli() + 1_000, later).result()).as("a new period").isTrue();
        claims.purge(later.plusSeconds(2).toEpochMilli());
        assertThat(claims.size()).as("only the total's claim stays").isEqualTo(1);
    }

    @Test
    void aMemoryClaimIsWonByExactlyOneOfManyConcurrentClaimers() {
        MemoryAlertClaims claims = new MemoryAlertClaims();
        Instant now = Instant.now();
        for (int round = 0; round < 50; round++) {
            String id = "team:t/total/10000000/" + round;
            long won = IntStream.range(0, 64).parallel()
                    .filter(i -> claims.claim(id, Long.MAX_VALUE, now).result()).count();
            assertThat(won).as("round %d", round).isEqualTo(1);
        }
    }

    @Test
    void connectionErrorsAreRetriedAndTheOutcomeNamesNeitherTheUrlsTokenNorTheSecret() {
        int closed = io.bricksllm.testing.TestDatabases.freePort();
        WebhookSender s = new WebhookSender(vertx, URI.create("http://127.0.0.1:" + closed + "/hook/t0k-path?token=t0k-query"),
                Optional.of("the-secret"), new WebhookSender.Backoff(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(2)));
        closing.add(s);
        WebhookSender.Delivery d = s.send(io.vertx.core.buffer.Buffer.buffer("{}")).await();
        assertThat(d.sent()).isFalse();
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(d.status()).isZero();
        assertThat(d.error()).isNotBlank().doesNotContain("t0k").doesNotContain("the-secret");
        assertThat(s.destination()).isEqualTo("http://127.0.0.1:" + closed);
    }

    // --- helpers ---

    private SpendAlerts alerts(SpendLedger ledger, AlertClaims claims, Optional<String> secret) {
        SpendAlerts a = new SpendAlerts(ledger, claims, sender(secret, FAST), THRESHOLDS, registry);
        closing.add(a);
        return a;
    }

    private WebhookSender sender(Optional<String> secret, WebhookSender.Backoff backoff) {
        return new WebhookSender(vertx, receiver.url(), secret, backoff);
    }

    private RedisConnector connector(RedisSettings settings) {
        RedisConnector c = new RedisConnector(vertx, settings);
        closing.add(c);
        return c;
    }

    private static LevelLimits level(Level level, BudgetLimits budget) {
        String id = UUID.randomUUID().toString();
        String scope = switch (level) {
            case TEAM -> Scopes.team(id);
            case KEY -> Scopes.key(id);
            case USER -> Scopes.user(id);
        };
        return new LevelLimits(level, id, scope, 0, null, 0, null, budget, 0);
    }

    private static void spend(SpendLedger ledger, LevelLimits level, double usd, Instant at) {
        ledger.record(level.scope(), Micros.of(usd), at).await();
    }

    /** {@code n} settlements spread over the instances, started from several threads at once; waits until all claims are decided. */
    private static void settleConcurrently(List<SpendAlerts> instances, LevelLimits level, Instant at, int n) {
        List<Future<Void>> all = IntStream.range(0, n).parallel()
                .mapToObj(i -> instances.get(i % instances.size()).observe(level, at)).toList();
        Future.all(all).await();
    }

    /** The claims won so far must be {@code n} (final: every settlement's claims are decided); the receiver gets exactly them. */
    /**
     * Exactly {@code n} distinct alerts received. Delivery is at least once: an attempt whose answer came too late (a
     * starved machine) is sent again with the same alertId and bytes, and receivers drop duplicates by alertId.
     */
    private void expectAlerts(Counting claims, int n) {
        assertThat(claims.total()).as("alerts claimed").isEqualTo(n);
        Poll.until(DEADLINE, n + " alert(s) received", () -> receiver.distinct().size() >= n);
        assertThat(receiver.distinct()).hasSize(n);
        for (Received r : receiver.got) {
            assertThat(receiver.distinct()).as("a repeat is the same bytes as the first delivery")
                    .anySatisfy(d -> assertThat(d.raw()).isEqualTo(r.raw()));
        }
    }

    private static double count(MeterRegistry registry, String level, int threshold, String result) {
        Counter c = registry.find(SpendAlerts.METRIC).tags("level", level, "threshold", Integer.toString(threshold), "result", result).counter();
        return c == null ? 0 : c.count();
    }

    /** Real claims, counting the ones won. */
    private static class Counting implements AlertClaims {
        final AlertClaims real;
        final AtomicInteger won = new AtomicInteger();

        Counting(AlertClaims real) {
            this.real = real;
        }

        int total() {
            return won.get();
        }

        @Override
        public Future<Boolean> claim(String id, long expiresAtMillis, Instant now) {
            return real.claim(id, expiresAtMillis, now).andThen(ar -> {
                if (ar.succeeded() && ar.result()) won.incrementAndGet();
            });
        }
    }

    record Received(byte[] raw, MultiMap headers) {
        JsonObject json() {
            return new JsonObject(new String(raw, StandardCharsets.UTF_8));
        }
    }

    /** A webhook receiver on a free port: records what it took (2xx), answers the queued statuses first. */
    private static final class Receiver implements AutoCloseable {
        final Queue<Received> got = new ConcurrentLinkedQueue<>();
        final Queue<Integer> refusals = new ConcurrentLinkedQueue<>();
        final AtomicInteger hits = new AtomicInteger();
        private final HttpServer server;

        Receiver() {
            server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                hits.incrementAndGet();
                Integer status = refusals.poll();
                if (status == null) {
                    got.add(new Received(body.getBytes(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers())));
                    status = 204;
                }
                req.response().setStatusCode(status).end();
            })).listen(0, "127.0.0.1").await();
        }

        void answerFirst(Integer... statuses) {
            refusals.addAll(List.of(statuses));
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.actualPort() + "/hooks/bricks?token=abc");
        }

        List<Integer> thresholds() {
            return distinct().stream().map(r -> r.json().getInteger("thresholdPercent")).toList();
        }

        /** The deliveries in arrival order, a repeated alertId (a retried delivery) once. */
        List<Received> distinct() {
            java.util.Set<String> seen = new java.util.HashSet<>();
            return got.stream().filter(r -> seen.add(r.json().getString("alertId"))).toList();
        }

        @Override
        public void close() {
            server.close().await();
        }
    }
}
